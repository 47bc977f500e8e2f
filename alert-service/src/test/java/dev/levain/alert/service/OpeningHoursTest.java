package dev.levain.alert.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class OpeningHoursTest {

    private static final String WEEKDAYS = """
            {"mon": [["07:00", "12:00"], ["14:00", "19:30"]], "tue": [["07:00", "19:30"]], "wed": [], "thu": [],
             "fri": [["22:00", "02:00"]], "sat": [], "sun": []}""";

    @Test
    void openOnlyInsideTheIntervalsOfTheLocalDay() {
        OpeningHours paris = OpeningHours.parse(WEEKDAYS, "Europe/Paris");
        // Monday 2026-11-23, Paris is UTC+1.
        assertThat(paris.openSince(Instant.parse("2026-11-23T06:30:00Z"))).contains(Instant.parse("2026-11-23T06:00:00Z"));
        assertThat(paris.openSince(Instant.parse("2026-11-23T12:30:00Z"))).isEmpty(); // lunch break
        assertThat(paris.openSince(Instant.parse("2026-11-23T05:30:00Z"))).isEmpty(); // 06:30 local
        assertThat(paris.openSince(Instant.parse("2026-11-25T10:00:00Z"))).isEmpty(); // Wednesday closed
    }

    @Test
    void anIntervalClosingAfterMidnightEndsTheNextDay() {
        OpeningHours paris = OpeningHours.parse(WEEKDAYS, "Europe/Paris");
        // Saturday 2026-11-28 00:30 local belongs to Friday's 22:00-02:00.
        assertThat(paris.openSince(Instant.parse("2026-11-27T23:30:00Z"))).contains(Instant.parse("2026-11-27T21:00:00Z"));
        assertThat(paris.openSince(Instant.parse("2026-11-28T01:30:00Z"))).isEmpty();
    }

    @Test
    void noHoursMeansAlwaysOpen() {
        assertThat(OpeningHours.parse(null, "Asia/Tokyo").openSince(Instant.parse("2026-11-28T03:00:00Z")))
                .contains(Instant.MIN);
    }
}
