package dev.levain.ingest.connector.csv;

/**
 * A set of longs in one array (open addressing): 8 to 16 bytes per entry where a {@code HashSet<Long>}
 * takes about 50, so remembering every sale of a large upload stays cheap.
 */
public final class LongSet {

    private static final long EMPTY = 0L;

    private long[] slots = new long[1024];
    private boolean containsEmpty;
    private int size;

    /** Adds {@code value}; returns false when it was there already. */
    public boolean add(long value) {
        if (value == EMPTY) {
            boolean added = !containsEmpty;
            containsEmpty = true;
            return added;
        }
        if ((size + 1) * 2 > slots.length) {
            grow();
        }
        int i = index(value, slots.length);
        while (slots[i] != EMPTY) {
            if (slots[i] == value) {
                return false;
            }
            i = (i + 1) & (slots.length - 1);
        }
        slots[i] = value;
        size++;
        return true;
    }

    public boolean contains(long value) {
        if (value == EMPTY) {
            return containsEmpty;
        }
        int i = index(value, slots.length);
        while (slots[i] != EMPTY) {
            if (slots[i] == value) {
                return true;
            }
            i = (i + 1) & (slots.length - 1);
        }
        return false;
    }

    private void grow() {
        long[] old = slots;
        slots = new long[old.length * 2];
        for (long value : old) {
            if (value != EMPTY) {
                int i = index(value, slots.length);
                while (slots[i] != EMPTY) {
                    i = (i + 1) & (slots.length - 1);
                }
                slots[i] = value;
            }
        }
    }

    private static int index(long value, int length) {
        long mixed = value * 0x9E3779B97F4A7C15L;
        return (int) (mixed >>> 40) & (length - 1);
    }
}
