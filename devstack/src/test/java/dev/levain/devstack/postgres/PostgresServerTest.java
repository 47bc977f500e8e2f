package dev.levain.devstack.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.levain.devstack.DataDirs;
import dev.levain.devstack.Ports;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A checkout in a folder others cannot enter ({@code /root}, 0700, in most containers): when devstack
 * runs as root, PostgreSQL runs as {@code nobody}, and its cluster must still start and keep its data.
 */
class PostgresServerTest {

    private Path privateHome;
    private Path dataDir;
    private PostgresServer server;

    @AfterEach
    void stopAndDelete() {
        if (server != null) {
            server.close();
        }
        if (dataDir != null) {
            DataDirs.delete(dataDir.getParent());
        }
        if (privateHome != null) {
            DataDirs.delete(privateHome);
        }
    }

    @Test
    void dataInsideAFolderOthersCannotEnterSurvivesARestart() throws Exception {
        privateHome = Files.createTempDirectory("levain-private-home-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path root = privateHome.resolve("checkout").resolve(".levain").resolve("postgres");

        server = PostgresServer.start(root, Ports.free(), false);
        dataDir = server.dataDir();
        execute("CREATE TABLE note (text text)", "INSERT INTO note VALUES ('kept across restarts')");
        server.close();
        server = PostgresServer.start(root, Ports.free(), false);

        assertThat(server.dataDir()).as("the second start finds the same cluster").isEqualTo(dataDir);
        assertThat(text("SELECT text FROM note")).isEqualTo("kept across restarts");
        if ("root".equals(System.getProperty("user.name"))) {
            assertThat(dataDir.startsWith(privateHome)).as("nobody cannot enter " + privateHome + ": files in " + dataDir)
                    .isFalse();
            assertThat(Files.readSymbolicLink(root.resolve("data"))).as("where the files are, seen from the data folder")
                    .isEqualTo(dataDir);
        }
    }

    private void execute(String... statements) throws SQLException {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    private String text(String query) throws SQLException {
        try (Connection connection = connect(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(query)) {
            assertThat(rows.next()).isTrue();
            return rows.getString(1);
        }
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(server.jdbcUrl(), PostgresServer.SUPERUSER, PostgresServer.PASSWORD);
    }
}
