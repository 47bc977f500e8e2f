package dev.levain.alert.repository;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * When each Slack webhook may be posted to next ({@code alerts.slack_pace}), shared by every replica.
 * Database time throughout, so replicas with skewed clocks keep one pace.
 */
@ApplicationScoped
public class SlackPaceRepository {

    // Conditional: of two replicas taking the same turn, the second finds it taken (its upsert waits for
    // the first's and re-reads the row) and gets no row back. The first post to a webhook creates its row.
    private static final String TAKE = "INSERT INTO alerts.slack_pace AS pace (webhook, next_allowed_at, turn_holder) "
            + "VALUES (?, clock_timestamp() + ?::double precision * interval '1 microsecond', ?) "
            + "ON CONFLICT (webhook) DO UPDATE SET next_allowed_at = EXCLUDED.next_allowed_at, "
            + "turn_holder = EXCLUDED.turn_holder WHERE pace.next_allowed_at <= clock_timestamp() RETURNING pace.webhook";

    private static final String NEXT_TURN = "SELECT greatest(0, floor(extract(epoch FROM next_allowed_at - clock_timestamp()) "
            + "* 1000000))::bigint AS wait, turn_holder IS NOT NULL AS in_flight FROM alerts.slack_pace WHERE webhook = ?";

    // The holder ends its turn: the next one is `wait` from now. Anyone else (a post outside a turn, or a
    // holder whose turn ran out) only pushes the turn later: a Retry-After another replica saw still holds.
    private static final String TURN_OVER = "UPDATE alerts.slack_pace SET next_allowed_at = CASE WHEN turn_holder = ? "
            + "THEN clock_timestamp() + ?::double precision * interval '1 microsecond' ELSE greatest(next_allowed_at, "
            + "clock_timestamp() + ?::double precision * interval '1 microsecond') END, "
            + "turn_holder = CASE WHEN turn_holder = ? THEN NULL ELSE turn_holder END WHERE webhook = ?";

    private final Sql sql;

    public SlackPaceRepository(Sql sql) {
        this.sql = sql;
    }

    /** Takes the webhook's turn for {@code holder} if it is due, for at most {@code lease}; false if it is not due. */
    public boolean take(String webhook, String holder, Duration lease) {
        return sql.one(TAKE, row -> row.getString(1), webhook, JobRepository.micros(lease), holder).isPresent();
    }

    /** When the webhook's next turn comes: how long until then, and whether a replica's post is in flight. */
    public record NextTurn(Duration delay, boolean inFlight) {
    }

    /** The webhook's next turn (due now when never used). */
    public NextTurn nextTurn(String webhook) {
        return sql.one(NEXT_TURN, row -> new NextTurn(Duration.ofNanos(row.getLong("wait") * 1000),
                row.getBoolean("in_flight")), webhook).orElse(new NextTurn(Duration.ZERO, false));
    }

    /** {@code holder}'s post is over: every replica's next post waits at least {@code wait} from now. */
    public void turnOver(String webhook, String holder, Duration wait) {
        long micros = JobRepository.micros(wait);
        sql.update(TURN_OVER, holder, micros, micros, holder, webhook);
    }
}
