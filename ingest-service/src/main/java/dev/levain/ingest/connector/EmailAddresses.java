package dev.levain.ingest.connector;

import java.util.Optional;

/**
 * The one e-mail check of every connector (native sales, CRM contacts, CSV files): something@domain.tld
 * without spaces, at most {@value #MAX_LENGTH} characters, decided in one pass whatever the input.
 */
public final class EmailAddresses {

    /** The longest address SMTP carries (RFC 5321: a path of 256 octets, angle brackets included). */
    public static final int MAX_LENGTH = 254;
    /** What {@code \s} stands for in a Java pattern: the old check's notion of whitespace. */
    private static final String WHITESPACE = " \t\n\u000B\f\r";

    private EmailAddresses() {
    }

    /**
     * Why {@code text} is not an e-mail address, or empty when it is one. A scan rather than a regular
     * expression: {@code [^@\s]+@[^@\s]+\.[^@\s]+} backtracked quadratically on a long dotted domain ending
     * in a space or an '@', so a 200 KB field held a request thread for half a minute.
     */
    public static Optional<String> problem(String text) {
        if (text.length() > MAX_LENGTH) {
            return Optional.of("must be at most " + MAX_LENGTH + " characters");
        }
        return isAddress(text) ? Optional.empty() : Optional.of("is not an email address");
    }

    /** One '@' after at least one character, no whitespace, and a '.' with a character on each side in the domain. */
    private static boolean isAddress(String text) {
        int at = text.indexOf('@');
        if (at < 1 || text.indexOf('@', at + 1) >= 0 || hasWhitespace(text)) {
            return false;
        }
        int dot = text.indexOf('.', at + 2);
        return dot >= 0 && dot < text.length() - 1;
    }

    private static boolean hasWhitespace(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (WHITESPACE.indexOf(text.charAt(i)) >= 0) {
                return true;
            }
        }
        return false;
    }
}
