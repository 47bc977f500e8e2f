package dev.levain.ingest.connector;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class EmailAddressesTest {

    /** The pattern the connectors used before: same verdicts, but quadratic on "x@a.a.a…a ". */
    private static final Pattern FORMER = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");

    @Test
    void addressesOfUsualLengthGetTheFormerPatternsVerdict() {
        List<String> samples = List.of("marie@example.com", "Marie@Example.com", "a.b+tag@sub.example.co", "x@y.z",
                "x@y..z", "x@.y.z", "é@exemple.fr", "not-an-email", "a@b", "a@.b", "a@b.", "@b.c", "a@@b.c", "a@b@c.d",
                "a b@c.d", "a@b.c ", "a@b.c\t", "a@b\u000B.c", "", "@", ".", "a@b.c.", "a.@b.c");

        assertThat(samples).allSatisfy(sample -> assertThat(EmailAddresses.problem(sample).isEmpty())
                .as(sample).isEqualTo(FORMER.matcher(sample).matches()));
    }

    @Test
    void longerThanSmtpCarriesIsRefusedSayingSo() {
        String longest = "a".repeat(64) + "@" + "b".repeat(184) + ".test";

        assertThat(longest).hasSize(EmailAddresses.MAX_LENGTH);
        assertThat(EmailAddresses.problem(longest)).isEmpty();
        assertThat(EmailAddresses.problem("a" + longest)).contains("must be at most 254 characters");
    }
}
