package dev.levain.normalize.mapping;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber;

/**
 * Phone numbers to E.164 with Google's libphonenumber: {@code +33 6 12 34 56 78}, {@code 0612345678} (read in
 * the default region), {@code 0044 20 7946 0958} and the like all become {@code +33612345678}. A number that
 * is not a valid one for its region gives null: a customer with a mistyped phone is kept without it.
 */
final class Phones {

    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();

    private Phones() {
    }

    /**
     * {@code text} in E.164, a number without country code read in {@code defaultRegion} (ISO 3166
     * alpha-2); null when blank or invalid.
     */
    static String e164(String text, String defaultRegion) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            Phonenumber.PhoneNumber number = UTIL.parse(text.trim(), defaultRegion);
            return UTIL.isValidNumber(number) ? UTIL.format(number, PhoneNumberUtil.PhoneNumberFormat.E164) : null;
        } catch (NumberParseException e) {
            return null;
        }
    }
}
