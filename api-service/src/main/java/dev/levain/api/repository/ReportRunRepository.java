package dev.levain.api.repository;

import dev.levain.api.service.Period;
import dev.levain.api.service.ReportRecipient;
import dev.levain.api.service.ReportRun;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/** The sales reports sent ({@code api.report_run}), and the claim that makes each one go out once cluster-wide. */
@ApplicationScoped
public class ReportRunRepository {

    private static final String COLUMNS = "recipient, frequency, period_from, period_to, sent_at, claimed_by, currency, "
            + "net_sales, transactions";

    private final AgroalDataSource dataSource;

    public ReportRunRepository(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Sends {@code recipient}'s report of {@code period} unless it went out already or another replica is sending
     * it: {@code send} runs while this transaction holds the run's lock (a try-lock, so no replica waits on
     * another's SMTP), and the run is recorded only if it returns. Empty when there was nothing to do; a send
     * that throws leaves no record, for the next check to try again.
     */
    public Optional<ReportRun> sendOnce(ReportRecipient recipient, Period period, String claimant, Instant now,
                                        Supplier<ReportRun> send) {
        String key = "report|" + recipient.address() + "|" + recipient.frequency().code() + "|" + period.from();
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                Optional<ReportRun> sent = claimAndSend(connection, key, recipient, period, claimant, now, send);
                connection.commit();
                return sent;
            } catch (RuntimeException | SQLException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw ReadFailures.of("Cannot record the sales report to " + recipient.masked(), e);
        }
    }

    private Optional<ReportRun> claimAndSend(Connection connection, String key, ReportRecipient recipient, Period period,
                                             String claimant, Instant now, Supplier<ReportRun> send) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement("SELECT pg_try_advisory_xact_lock(hashtextextended(?, 0))")) {
            lock.setString(1, key);
            try (ResultSet result = lock.executeQuery()) {
                if (!result.next() || !result.getBoolean(1)) {
                    return Optional.empty();
                }
            }
        }
        try (PreparedStatement exists = connection.prepareStatement(
                "SELECT 1 FROM api.report_run WHERE recipient = ? AND frequency = ? AND period_from = ?")) {
            exists.setString(1, recipient.address());
            exists.setString(2, recipient.frequency().code());
            exists.setObject(3, period.from());
            try (ResultSet result = exists.executeQuery()) {
                if (result.next()) {
                    return Optional.empty();
                }
            }
        }
        ReportRun run = send.get();
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO api.report_run (recipient, frequency, "
                + "period_from, period_to, claimed_by, sent_at, currency, net_sales, transactions) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, run.recipient());
            insert.setString(2, run.frequency());
            insert.setObject(3, run.periodFrom());
            insert.setObject(4, run.periodTo());
            insert.setString(5, claimant);
            insert.setTimestamp(6, Timestamp.from(now));
            insert.setString(7, run.currency());
            insert.setBigDecimal(8, run.netSales());
            insert.setObject(9, run.transactions());
            insert.executeUpdate();
        }
        return Optional.of(run);
    }

    /** The reports sent, newest first. */
    public List<ReportRun> recent(int limit, int offset) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement("SELECT " + COLUMNS
                     + " FROM api.report_run ORDER BY sent_at DESC, recipient, frequency LIMIT ? OFFSET ?")) {
            statement.setInt(1, limit);
            statement.setInt(2, offset);
            List<ReportRun> runs = new ArrayList<>();
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    runs.add(new ReportRun(result.getString("recipient"), result.getString("frequency"),
                            result.getObject("period_from", LocalDate.class),
                            result.getObject("period_to", LocalDate.class),
                            result.getTimestamp("sent_at").toInstant(), result.getString("claimed_by"),
                            result.getString("currency"), result.getBigDecimal("net_sales"),
                            result.getObject("transactions", Long.class)));
                }
            }
            return runs;
        } catch (SQLException e) {
            throw ReadFailures.of("Cannot read the reports sent", e);
        }
    }
}
