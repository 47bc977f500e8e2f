package dev.levain.devstack.simulator.square;

import java.util.Random;

/** Opaque ids shaped like Square's (upper-case letters and digits). */
final class SquareIds {

    private static final char[] ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".toCharArray();

    private SquareIds() {
    }

    static String next(Random random) {
        char[] id = new char[24];
        for (int i = 0; i < id.length; i++) {
            id[i] = ALPHABET[random.nextInt(ALPHABET.length)];
        }
        return new String(id);
    }
}
