package dev.levain.ingest.connector.pos.square;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SquareReconcileCursorTest {

    private static final LocalDate NOV_27 = LocalDate.parse("2026-11-27");
    private static final LocalDate NOV_28 = LocalDate.parse("2026-11-28");

    @Test
    void aLocationBehindTheOthersSearchesItsOwnPreviousDayOnItsFirstRunOfANewDay() {
        // Last run: Kiritimati (UTC+14) was already on the 28th, Pago Pago (UTC-11) still on the 27th.
        SquareReconcileCursor cursor = SquareReconcileCursor.parse(
                Optional.of(SquareReconcileCursor.of(Map.of("EAST", NOV_28, "WEST", NOV_27)).toString()));

        // Now Pago Pago's day has turned too: its 27th is searched again, though another location saw the 28th.
        assertThat(cursor.daysToSearch("WEST", NOV_28)).containsExactly(NOV_27, NOV_28);
        assertThat(cursor.daysToSearch("EAST", NOV_28)).containsExactly(NOV_28);
        assertThat(cursor.daysToSearch("WEST", NOV_27)).containsExactly(NOV_27);
    }

    @Test
    void isWrittenAsEachLocationWithItsDayInIdOrder() {
        SquareReconcileCursor cursor = SquareReconcileCursor.of(Map.of("L3DELIVERY", NOV_27, "L1BASTILLE", NOV_28));
        assertThat(cursor).hasToString("L1BASTILLE=2026-11-28;L3DELIVERY=2026-11-27");
        assertThat(SquareReconcileCursor.parse(Optional.of(cursor.toString()))).hasToString(cursor.toString());
    }

    @Test
    void aLocationNotInTheCursorAndTheSingleDayOfEarlierVersionsSearchThePreviousDayOnce() {
        assertThat(SquareReconcileCursor.parse(Optional.empty()).daysToSearch("L1", NOV_28))
                .containsExactly(NOV_27, NOV_28);
        assertThat(SquareReconcileCursor.parse(Optional.of("L1=2026-11-28")).daysToSearch("L2", NOV_28))
                .containsExactly(NOV_27, NOV_28);
        assertThat(SquareReconcileCursor.parse(Optional.of("2026-11-28")).daysToSearch("L1", NOV_28))
                .containsExactly(NOV_27, NOV_28);
        assertThat(SquareReconcileCursor.parse(Optional.of("L1=not-a-day;L2=2026-11-28")).daysToSearch("L1", NOV_28))
                .containsExactly(NOV_27, NOV_28);
    }

    @Test
    void aCursorIsLaterOnlyWhenNoLocationWentBackADay() {
        SquareReconcileCursor stored = SquareReconcileCursor.of(Map.of("L1", NOV_28, "L2", NOV_27));

        assertThat(SquareReconcileCursor.of(Map.of("L1", NOV_28, "L2", NOV_28)).isAfter(stored)).isTrue();
        assertThat(SquareReconcileCursor.of(Map.of("L1", NOV_28, "L2", NOV_27, "L3", NOV_27)).isAfter(stored)).isTrue();
        assertThat(SquareReconcileCursor.of(Map.of("L1", NOV_27, "L2", NOV_28)).isAfter(stored)).isFalse();
        assertThat(SquareReconcileCursor.of(Map.of("L1", NOV_28, "L2", NOV_27)).isAfter(stored)).isFalse();
    }
}
