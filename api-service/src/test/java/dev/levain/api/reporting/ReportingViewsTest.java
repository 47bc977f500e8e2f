package dev.levain.api.reporting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.levain.api.support.ApiTestResource;
import dev.levain.api.support.CoreSeed;
import dev.levain.api.support.CoreSeed.Line;
import dev.levain.api.support.ScratchDatabases;
import dev.levain.api.support.ScratchDatabases.Scratch;
import dev.levain.devstack.test.DevStackTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * docs/reporting.md holds against a database: its views and columns are the ones that exist, its login
 * recipe gives a role that reads every reporting view and nothing else, and its example queries give
 * the KPIs computed here by hand. The data set lives in a database of its own, so the queries' totals
 * are exact.
 */
@QuarkusTest
@WithTestResource(value = DevStackTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = ApiTestResource.class, scope = TestResourceScope.GLOBAL)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReportingViewsTest {

    private static final Path DOC = Path.of("..", "docs", "reporting.md");
    private static final Pattern SQL_BLOCK = Pattern.compile("```sql\n(.*?)```", Pattern.DOTALL);
    private static final Pattern VIEW_NAME = Pattern.compile("^`reporting\\.([a-z_]+)`\n");
    private static final Pattern COLUMN_ROW = Pattern.compile("^\\| `([a-z_]+)` \\|", Pattern.MULTILINE);
    private static final Pattern PASSWORD = Pattern.compile("PASSWORD '([^']*)'");
    private static final String INSUFFICIENT_PRIVILEGE = "42501";

    @Inject
    ScratchDatabases databases;

    private String doc;
    private Scratch database;
    private String login;
    private String loginPassword;
    private String north;
    private String west;
    private String bread;
    private String cake;

    @BeforeAll
    void aDatabaseWithAHandMadeDataSetAndTheDocsLogin() throws IOException, SQLException {
        doc = Files.readString(DOC);
        database = databases.create("reporting_doc_");
        login = "metabase_" + database.name().substring("reporting_doc_".length());
        seed(new CoreSeed(database.dataSource()));

        // The doc's recipe, as a superuser, for a login of this test's own (roles are cluster-wide).
        String recipe = sqlBlocks().stream().filter(block -> block.contains("CREATE ROLE")).findFirst().orElseThrow();
        Matcher password = PASSWORD.matcher(recipe);
        assertThat(password.find()).as("the recipe sets a password").isTrue();
        loginPassword = password.group(1);
        try (Connection admin = database.connect();
             Statement sql = admin.createStatement()) {
            for (String statement : recipe.replace("metabase", login).split(";\n")) {
                if (!statement.isBlank()) {
                    sql.execute(statement);
                }
            }
        }
    }

    /**
     * Two stores, Paris and New York; three customers. Alice buys first in Paris on Oct 31, Carol in New York
     * at 22:00 local on Oct 31 (Nov 1 in UTC), Bob in Paris in November. One voided sale, one refund.
     */
    private void seed(CoreSeed seed) {
        north = seed.code("NORTH");
        west = seed.code("WEST");
        long northId = seed.store(north, "Europe/Paris");
        long westId = seed.store(west, "America/New_York");
        bread = seed.code("BREAD");
        cake = seed.code("CAKE");
        long breadId = seed.product("BREAD", "2.00", "0.50", "5");
        long cakeId = seed.product("CAKE", "10.00", "4.00", "2");
        long alice = seed.customer("Alice");
        long bob = seed.customer("Bob");
        long carol = seed.customer("Carol");

        seed.sale(northId, alice, "2026-10-31T23:30:00+01:00", "in_store", "completed", new Line(breadId, "3", "2.00", "0.00"));
        long bobsCake = seed.sale(northId, bob, "2026-11-02T09:00:00+01:00", "in_store", "completed",
                new Line(cakeId, "1", "10.00", "1.00"));
        seed.sale(northId, null, "2026-11-02T10:00:00+01:00", "in_store", "completed", new Line(breadId, "2", "2.00", "0.00"));
        seed.sale(northId, null, "2026-11-02T11:00:00+01:00", "in_store", "voided", new Line(breadId, "5", "2.00", "0.00"));
        seed.sale(northId, alice, "2026-11-03T08:00:00+01:00", "in_store", "completed", new Line(breadId, "1", "2.00", "0.00"));
        seed.refund(bobsCake, "2026-11-03T12:00:00+01:00", "1.00");
        seed.sale(westId, carol, "2026-11-01T02:00:00Z", "delivery", "completed", new Line(cakeId, "2", "10.00", "0.00"));
        seed.sale(westId, alice, "2026-11-02T15:00:00Z", "in_store", "completed", new Line(breadId, "1", "2.00", "0.00"));
        seed.rollUp();

        seed.stock(breadId, northId, "3", "2026-11-03T20:00:00+01:00");
        seed.stock(cakeId, northId, "0", "2026-11-03T20:00:00+01:00");
        seed.stock(breadId, westId, "50", "2026-11-03T20:00:00-05:00");
        seed.stock(cakeId, westId, "2", "2026-11-03T20:00:00-05:00");
    }

    @AfterAll
    void dropTheDatabaseAndTheLogin() throws SQLException {
        databases.drop(database, login);
    }

    @Test
    void everyReportingViewAndItsColumnsAreTheOnesDocumented() throws SQLException {
        Map<String, List<String>> documented = documentedViews();
        Map<String, List<String>> actual = new LinkedHashMap<>();
        for (List<String> row : query(superuserConnection(), """
                SELECT table_name, column_name FROM information_schema.columns
                WHERE table_schema = 'reporting' ORDER BY table_name, ordinal_position""")) {
            actual.computeIfAbsent(row.get(0), view -> new ArrayList<>()).add(row.get(1));
        }
        assertThat(documented.keySet()).containsExactlyInAnyOrderElementsOf(actual.keySet());
        actual.forEach((view, columns) ->
                assertThat(documented.get(view)).as("documented columns of reporting." + view).containsExactlyElementsOf(columns));
    }

    @Test
    void theDocsLoginReadsEveryReportingView() throws SQLException {
        for (String view : documentedViews().keySet()) {
            try (Connection connection = loginConnection(); Statement sql = connection.createStatement();
                 ResultSet rows = sql.executeQuery("SELECT * FROM reporting." + view)) {
                assertThat(rows.next()).as("reporting." + view + " has rows for the login").isTrue();
            }
        }
    }

    @Test
    void theDocsLoginMayNotReadCoreNorWriteAnything() {
        for (String refused : List.of(
                "SELECT * FROM core.sale",
                "SELECT * FROM core.raw_event",
                "INSERT INTO reporting.store (store_code, name, timezone, currency) VALUES ('X', 'X', 'UTC', 'EUR')",
                "UPDATE reporting.store SET name = 'Mine'",
                "DELETE FROM reporting.store",
                "CREATE TABLE reporting.mine (id int)",
                "CREATE VIEW reporting.mine AS SELECT 1 AS one")) {
            assertThatThrownBy(() -> {
                try (Connection connection = loginConnection(); Statement sql = connection.createStatement()) {
                    sql.execute(refused);
                }
            }).as(refused).isInstanceOfSatisfying(SQLException.class,
                    e -> assertThat(e.getSQLState()).as(refused + ": " + e.getMessage()).isEqualTo(INSUFFICIENT_PRIVILEGE));
        }
    }

    @Test
    void theDocsExampleQueriesGiveTheKpisComputedByHand() throws SQLException {
        Map<String, String> examples = exampleQueries();

        // Per store and day: net = gross − discounts − refunds, transactions = completed sales, ticket = net / tx.
        assertThat(run(examples, "Net sales, transactions and average ticket per store and day")).containsExactly(
                row(north, "2026-10-31", "6.00", "1", "6.00"),        // Alice: 3 × 2.00
                row(north, "2026-11-02", "13.00", "2", "6.50"),       // Bob 10.00 − 1.00 discount + 2 × 2.00; voided excluded
                row(north, "2026-11-03", "1.00", "1", "1.00"),        // Alice 2.00 − Bob's 1.00 refund given that day
                row(west, "2026-10-31", "20.00", "1", "20.00"),       // Carol: 22:00 in New York, Nov 1 in UTC
                row(west, "2026-11-02", "2.00", "1", "2.00"));        // Alice again, in another store
        // Per month: the period's net over its transactions, not a mean of daily tickets.
        assertThat(run(examples, "Average ticket per store and month")).containsExactly(
                row(north, "2026-10-01", "6.00", "1", "6.00"),
                row(north, "2026-11-01", "14.00", "3", "4.67"),       // (13.00 + 1.00) / 3 = 4.666…
                row(west, "2026-10-01", "20.00", "1", "20.00"),
                row(west, "2026-11-01", "2.00", "1", "2.00"));
        // New: first completed sale at any store falls in the month, store-local.
        assertThat(run(examples, "New customers per month")).containsExactly(
                row("2026-10-01", "2"),                               // Alice (Paris), Carol (New York, Oct 31 local)
                row("2026-11-01", "1"));                              // Bob; Alice's later sales are not new
        // Out (≤ 0) before low (≤ reorder point).
        assertThat(run(examples, "Stock to act on now")).containsExactly(
                row(north, cake, "Product CAKE", "0", "2", "out"),
                row(north, bread, "Product BREAD", "3", "5", "low"),
                row(west, cake, "Product CAKE", "2", "2", "low"));
        assertThat(examples).as("every example query is checked above").hasSize(4);
    }

    private List<List<String>> run(Map<String, String> examples, String title) throws SQLException {
        String sql = examples.entrySet().stream().filter(e -> e.getKey().startsWith(title)).map(Map.Entry::getValue)
                .findFirst().orElseThrow(() -> new AssertionError("docs/reporting.md has no query \"" + title + "\""));
        return query(loginConnection(), sql);
    }

    /** The SQL blocks of the doc's example section, by their first-line comment. */
    private Map<String, String> exampleQueries() {
        Map<String, String> examples = new LinkedHashMap<>();
        for (String block : sqlBlocks()) {
            if (block.startsWith("-- ") && !block.contains("CREATE ROLE")) {
                examples.put(block.substring(3, block.indexOf('\n')), block);
            }
        }
        return examples;
    }

    private List<String> sqlBlocks() {
        List<String> blocks = new ArrayList<>();
        Matcher block = SQL_BLOCK.matcher(doc);
        while (block.find()) {
            blocks.add(block.group(1).strip());
        }
        return blocks;
    }

    /** View name → the columns its table lists, in order, from the doc's "Views" section. */
    private Map<String, List<String>> documentedViews() {
        int from = doc.indexOf("\n## Views");
        String section = doc.substring(from, doc.indexOf("\n## ", from + 1));
        Map<String, List<String>> views = new LinkedHashMap<>();
        for (String part : section.split("\n### ")) {
            Matcher name = VIEW_NAME.matcher(part);
            if (name.find()) {
                Matcher column = COLUMN_ROW.matcher(part);
                List<String> columns = new ArrayList<>();
                while (column.find()) {
                    columns.add(column.group(1));
                }
                views.put(name.group(1), columns);
            }
        }
        return views;
    }

    private Connection loginConnection() throws SQLException {
        return DriverManager.getConnection(database.url(), login, loginPassword);
    }

    private Connection superuserConnection() throws SQLException {
        return database.connect();
    }

    /** Every row as text, numbers without trailing zeros, so "6.00", "6.000" and "6" compare equal. */
    private static List<List<String>> query(Connection connection, String sql) throws SQLException {
        try (connection; Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            List<List<String>> result = new ArrayList<>();
            int columns = rows.getMetaData().getColumnCount();
            while (rows.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= columns; i++) {
                    row.add(cell(rows.getString(i)));
                }
                result.add(row);
            }
            return result;
        }
    }

    private static List<String> row(String... cells) {
        return Arrays.stream(cells).map(ReportingViewsTest::cell).toList();
    }

    private static String cell(String text) {
        if (text == null || !text.matches("-?\\d+(\\.\\d+)?")) {
            return text;
        }
        return new BigDecimal(text).stripTrailingZeros().toPlainString().toLowerCase(Locale.ROOT);
    }
}
