package dev.levain.ingest.repository;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;

/**
 * Which replica runs each scheduled pull ({@code ingest.pull_lease}). Every statement is one short autocommit
 * UPDATE on the job's own row, times on the database's clock: nothing waits on a lock held for a whole pull.
 */
@ApplicationScoped
public class PullLeaseRepository {

    private final AgroalDataSource dataSource;

    public PullLeaseRepository(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Takes the lease of {@code job} for {@code ttl} when it is free or expired, and due unless {@code evenIfNotDue};
     * false when another holder has it (or it is not due yet).
     */
    public boolean take(String job, String holder, Duration ttl, boolean evenIfNotDue) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement insert = connection.prepareStatement(
                     "INSERT INTO ingest.pull_lease (job) VALUES (?) ON CONFLICT (job) DO NOTHING");
             PreparedStatement take = connection.prepareStatement("""
                     UPDATE ingest.pull_lease SET holder = ?, expires_at = now() + ? * interval '1 millisecond'
                     WHERE job = ? AND (holder IS NULL OR expires_at <= now()) AND (? OR next_run_at <= now())
                     RETURNING job""")) {
            insert.setString(1, job);
            insert.executeUpdate();
            take.setString(1, holder);
            take.setLong(2, ttl.toMillis());
            take.setString(3, job);
            take.setBoolean(4, evenIfNotDue);
            try (ResultSet taken = take.executeQuery()) {
                return taken.next();
            }
        } catch (SQLException e) {
            throw new LedgerUnavailableException("Could not take the lease of " + job, e);
        }
    }

    /** Extends the lease {@code holder} has on {@code job}; false when it has lost it (it had expired and was taken). */
    public boolean renew(String job, String holder, Duration ttl) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement renew = connection.prepareStatement("""
                     UPDATE ingest.pull_lease SET expires_at = now() + ? * interval '1 millisecond'
                     WHERE job = ? AND holder = ?""")) {
            renew.setLong(1, ttl.toMillis());
            renew.setString(2, job);
            renew.setString(3, holder);
            return renew.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new LedgerUnavailableException("Could not renew the lease of " + job, e);
        }
    }

    /** Frees the lease {@code holder} has on {@code job}; scheduled runs take it again {@code nextRunIn} from now. */
    public void release(String job, String holder, Duration nextRunIn) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement release = connection.prepareStatement("""
                     UPDATE ingest.pull_lease SET holder = NULL, expires_at = now(),
                            next_run_at = now() + ? * interval '1 millisecond'
                     WHERE job = ? AND holder = ?""")) {
            release.setLong(1, Math.max(0, nextRunIn.toMillis()));
            release.setString(2, job);
            release.setString(3, holder);
            release.executeUpdate();
        } catch (SQLException e) {
            throw new LedgerUnavailableException("Could not release the lease of " + job, e);
        }
    }
}
