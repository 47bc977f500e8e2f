package dev.levain.api.rest;

import static dev.levain.api.support.TestTokens.bearer;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.levain.api.support.ApiTestResource;
import dev.levain.api.support.CoreSeed;
import dev.levain.api.support.TestTokens;
import dev.levain.devstack.test.DevStackTestResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.File;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.Currency;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard page in a real browser (Debian's chromium, headless, driven by Selenium through Debian's
 * chromedriver): it shows the API's numbers, follows a new sale live, and shows a viewer no costs.
 */
@QuarkusTest
@WithTestResource(value = DevStackTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = ApiTestResource.class, scope = TestResourceScope.GLOBAL)
class DashboardBrowserTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    /** The page refreshes today's figures every 5 s; a change must show within two refreshes and a margin. */
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    private static ChromeDriverService driverService;
    private static WebDriver browser;
    private static Path profile;

    @Inject
    AgroalDataSource dataSource;

    @TestHTTPResource("/dashboard/")
    URL dashboard;

    private CoreSeed seed;
    private String store;
    private long storeId;
    private long bread;
    private long croissant;

    @BeforeAll
    static void chromium() throws IOException {
        assertThat(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER))
                .as("DashboardBrowserTest drives Debian's chromium through " + CHROMEDRIVER + ", and " + CHROMIUM
                        + " or " + CHROMEDRIVER + " is missing: install them with "
                        + "`apt-get install -y chromium chromium-driver` (.ci/run does so in CI)")
                .isTrue();
        profile = Files.createTempDirectory("levain-chromium-");
        // The driver is named explicitly, so Selenium Manager never looks for (or downloads) one.
        System.setProperty(ChromeDriverService.CHROME_DRIVER_EXE_PROPERTY, CHROMEDRIVER.toString());
        driverService = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile);
        browser = new ChromeDriver(driverService, options);
        browser.manage().window().setSize(new Dimension(1400, 1500));
    }

    @AfterAll
    static void closeChromium() throws IOException {
        if (browser != null) {
            browser.quit();
        }
        if (driverService != null) {
            driverService.stop();
        }
        if (profile != null) {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }

    @BeforeEach
    void aParisStoreWithProducts() {
        seed = new CoreSeed(dataSource);
        store = seed.code("DASH");
        storeId = seed.store(store, "Europe/Paris");
        bread = seed.product("BREAD", "2.00", "0.50", "5");
        croissant = seed.product("CROISSANT", "1.20", "0.40", "10");
    }

    @Test
    void dashboardShowsTheApisNumbersAndFollowsANewSaleLive() throws IOException {
        ZonedDateTime now = ZonedDateTime.now(PARIS).truncatedTo(ChronoUnit.SECONDS);
        long regular = seed.customer("Regular");
        // Today: 2 × 2.00 + 1 × 1.20 = 5.20 (anonymous); 3 × 1.20 − 0.60 = 3.00 (a customer): net 8.20, 2 sales.
        seed.sale(storeId, null, now.toOffsetDateTime().toString(), "in_store", "completed",
                new CoreSeed.Line(bread, "2", "2.00", "0.00"), new CoreSeed.Line(croissant, "1", "1.20", "0.00"));
        seed.sale(storeId, regular, now.toOffsetDateTime().toString(), "delivery", "completed",
                new CoreSeed.Line(croissant, "3", "1.20", "0.60"));
        // Same weekday last week: 2 × 2.00 = 4.00.
        seed.sale(storeId, null, now.minusWeeks(1).toOffsetDateTime().toString(), "in_store", "completed",
                new CoreSeed.Line(bread, "2", "2.00", "0.00"));
        seed.rollUp();
        // Stock: bread 3 ≤ its reorder point 5 → low; croissant 0 → out.
        seed.stock(bread, storeId, "3", now.toOffsetDateTime().toString());
        seed.stock(croissant, storeId, "0", now.toOffsetDateTime().toString());
        long goal = aTransactionsGoal(now.toLocalDate());

        // An admin's "all stores" is cached for a few seconds (quarkus.cache.caffeine.stores): the new store joins then.
        // Freshness is read at most once a second (cache "freshness"): the page and this JSON agree once it reflects
        // the events seeded above, whatever an earlier test left cached just before.
        await().atMost(WAIT).until(() -> {
            JsonPath json = todayJson(TestTokens.admin());
            String asOf = json.getString("freshness.as_of");
            return json.getList("stores.store").contains(store) && asOf != null
                    && !Instant.parse(asOf).isBefore(now.toInstant());
        });
        JsonPath today = todayJson(TestTokens.admin());
        String mine = "stores.find { it.store == '" + store + "' }";
        // net 8.20; transactions 2; average ticket 8.20 / 2 = 4.10; 1 identified customer;
        // COGS 2 × 0.50 + 1 × 0.40 + 3 × 0.40 = 2.60; gross margin 8.20 − 2.60 = 5.60.
        assertThat(today.getObject(mine + ".today.net_sales", BigDecimal.class)).isEqualByComparingTo("8.20");
        assertThat(today.getLong(mine + ".today.transactions")).isEqualTo(2);
        assertThat(today.getObject(mine + ".today.average_ticket", BigDecimal.class)).isEqualByComparingTo("4.10");
        assertThat(today.getLong(mine + ".today.customers")).isEqualTo(1);
        assertThat(today.getObject(mine + ".today.cogs", BigDecimal.class)).isEqualByComparingTo("2.60");
        assertThat(today.getObject(mine + ".same_day_last_week.net_sales", BigDecimal.class)).isEqualByComparingTo("4.00");

        open(TestTokens.admin());
        assertThat(browser.getCurrentUrl()).as("the token leaves the address bar").doesNotContain("token");
        Formats page = formats();
        awaitText("today-net-" + store, page.money(today.getObject(mine + ".today.net_sales", BigDecimal.class)));
        assertThat(text("today-transactions-" + store)).isEqualTo(page.integer(today.getLong(mine + ".today.transactions")));
        assertThat(text("today-average-ticket-" + store))
                .isEqualTo(page.money(today.getObject(mine + ".today.average_ticket", BigDecimal.class)));
        assertThat(text("today-customers-" + store)).isEqualTo(page.integer(today.getLong(mine + ".today.customers")));
        assertThat(text("today-last-week-net-" + store))
                .isEqualTo(page.money(today.getObject(mine + ".same_day_last_week.net_sales", BigDecimal.class)));
        // (8.20 − 4.00) / 4.00 = +105.0 %
        assertThat(value("today-change-" + store)).isEqualTo("105");
        assertThat(text("today-cogs-" + store)).isEqualTo(page.money(today.getObject(mine + ".today.cogs", BigDecimal.class)));
        assertThat(text("today-gross-margin-" + store))
                .isEqualTo(page.money(today.getObject(mine + ".today.gross_margin", BigDecimal.class)));
        assertThat(value("as-of")).isEqualTo(today.getString("freshness.as_of"));
        assertThat(text("as-of")).isEqualTo(DateTimeFormatter.ofPattern("HH:mm:ss").format(
                Instant.parse(today.getString("freshness.as_of")).atZone(ZoneId.of(today.getString("stores[0].timezone")))));

        // The month: the page asks for the 1st of the (first store's) month to its business day, by day.
        LocalDate businessDay = LocalDate.parse(today.getString("stores[0].business_date"));
        JsonPath month = json(TestTokens.admin(), "/api/v1/kpis/sales", Map.of("from",
                businessDay.withDayOfMonth(1).toString(), "to", businessDay.toString(), "granularity", "day"));
        String monthOfMine = "by_store.find { it.store == '" + store + "' }.figures";
        awaitText("month-net-" + store, page.money(month.getObject(monthOfMine + ".net_sales", BigDecimal.class)));
        assertThat(text("month-net-total")).isEqualTo(page.money(month.getObject("total.net_sales", BigDecimal.class)));
        assertThat(text("month-transactions-" + store))
                .isEqualTo(page.integer(month.getLong(monthOfMine + ".transactions")));
        assertThat(browser.findElements(By.cssSelector("#month-chart canvas"))).as("the month's chart is drawn").isNotEmpty();
        expectSectionOrNote("customers", "/api/v1/kpis/customers");
        expectSectionOrNote("stock", "/api/v1/kpis/inventory/levels");
        expectSectionOrNote("goals", "/api/v1/goals");
        JsonPath stock = json(TestTokens.admin(), "/api/v1/kpis/inventory/levels", Map.of());
        String breadKey = store + "-" + seed.code("BREAD");
        String croissantKey = store + "-" + seed.code("CROISSANT");
        awaitText("stock-status-" + breadKey, "low");
        assertThat(text("stock-status-" + croissantKey)).isEqualTo("out");
        assertThat(text("stock-on-hand-" + breadKey)).isEqualTo(page.integer(3));
        assertThat(read(driver -> driver.findElement(By.cssSelector("[data-testid='stock-row-" + croissantKey + "']"))
                .getAttribute("class"))).as("an out row is highlighted").isEqualTo("status-out");
        assertThat(text("stock-low-count")).isEqualTo(page.integer(stock.getLong("counts.low")));
        assertThat(text("stock-out-count")).isEqualTo(page.integer(stock.getLong("counts.out")));
        assertThat(text("stock-unit-cost-" + breadKey)).isEqualTo(page.money(new BigDecimal("0.50")));
        JsonPath progress = json(TestTokens.admin(), "/api/v1/goals/" + goal + "/progress", Map.of());
        awaitText("goal-progress-" + goal, progressText(progress.getObject("progress_percent", BigDecimal.class)));
        assertThat(new BigDecimal(value("goal-progress-" + goal)))
                .isEqualByComparingTo(progress.getObject("progress_percent", BigDecimal.class));

        // A third sale: 1 × 2.00 + 1 × 1.20 = 3.20; net 8.20 + 3.20 = 11.40, 3 sales, 2 customers,
        // average ticket 11.40 / 3 = 3.80.
        seed.sale(storeId, seed.customer("Newcomer"), ZonedDateTime.now(PARIS).toOffsetDateTime().toString(), "in_store",
                "completed", new CoreSeed.Line(bread, "1", "2.00", "0.00"), new CoreSeed.Line(croissant, "1", "1.20", "0.00"));
        seed.rollUp();
        JsonPath after = todayJson(TestTokens.admin());
        assertThat(after.getObject(mine + ".today.net_sales", BigDecimal.class)).isEqualByComparingTo("11.40");
        assertThat(after.getObject(mine + ".today.average_ticket", BigDecimal.class)).isEqualByComparingTo("3.80");
        awaitText("today-net-" + store, page.money(after.getObject(mine + ".today.net_sales", BigDecimal.class)));
        assertThat(text("today-transactions-" + store)).isEqualTo(page.integer(3));
        assertThat(text("today-average-ticket-" + store))
                .isEqualTo(page.money(after.getObject(mine + ".today.average_ticket", BigDecimal.class)));
        assertThat(text("today-customers-" + store)).isEqualTo(page.integer(2));
        // (11.40 − 4.00) / 4.00 = +185.0 %
        assertThat(value("today-change-" + store)).isEqualTo("185");
        JsonPath monthAfter = json(TestTokens.admin(), "/api/v1/kpis/sales", Map.of("from",
                businessDay.withDayOfMonth(1).toString(), "to", businessDay.toString(), "granularity", "day"));
        awaitText("month-net-" + store, page.money(monthAfter.getObject(monthOfMine + ".net_sales", BigDecimal.class)));

        // #store= narrows the page to one store (the screenshot then shows this one, not every test's stores).
        browser.get(dashboard + "#store=" + store);
        awaitText("month-net-total", page.money(monthAfter.getObject(monthOfMine + ".net_sales", BigDecimal.class)));
        assertThat(read(driver -> driver.findElements(By.cssSelector("#today-stores [data-store]")).stream()
                .map(card -> card.getAttribute("data-store")).toList().toString())).isEqualTo(List.of(store).toString());
        screenshot("dashboard.png");
    }

    @Test
    void everyPanelShowsTheApisFiguresForTheChosenStoreAndDatesAndExportsThemAsCsvAndExcel() throws IOException {
        LocalDate today = LocalDate.now(PARIS);
        LocalDate threeDaysAgo = today.minusDays(3);
        LocalDate lastMonth = today.minusDays(40);
        long ann = seed.customer("Ann");
        // Three days ago: 3 × 2.00 = 6.00 (Ann) and 2 × 1.20 = 2.40 (anonymous); forty days ago: Ann, 1 × 2.00.
        seed.sale(storeId, ann, threeDaysAgo.atTime(9, 0).atZone(PARIS).toOffsetDateTime().toString(), "in_store",
                "completed", new CoreSeed.Line(bread, "3", "2.00", "0.00"));
        seed.sale(storeId, null, threeDaysAgo.atTime(10, 0).atZone(PARIS).toOffsetDateTime().toString(), "in_store",
                "completed", new CoreSeed.Line(croissant, "2", "1.20", "0.00"));
        seed.sale(storeId, ann, lastMonth.atTime(9, 0).atZone(PARIS).toOffsetDateTime().toString(), "in_store",
                "completed", new CoreSeed.Line(bread, "1", "2.00", "0.00"));
        seed.stock(bread, storeId, "20", today.minusDays(60).atTime(7, 0).atZone(PARIS).toOffsetDateTime().toString());
        seed.rollUp();
        LocalDate from = today.minusDays(29);
        Map<String, String> range = Map.of("store", store, "from", from.toString(), "to", today.toString());
        JsonPath daily = json(TestTokens.admin(), "/api/v1/kpis/sales/daily", range);
        String day = "days.find { it.business_date == '" + threeDaysAgo + "' }";
        assertThat(daily.getObject(day + ".net_sales", BigDecimal.class)).isEqualByComparingTo("8.40");
        LocalDate firstMonth = today.withDayOfMonth(1).minusMonths(12);
        JsonPath monthly = json(TestTokens.admin(), "/api/v1/kpis/sales", Map.of("store", store,
                "from", firstMonth.toString(), "to", today.toString(), "granularity", "month"));
        String month = lastMonth.toString().substring(0, 7);
        String bucket = "series.find { it.period_start.startsWith('" + month + "') }.stores['" + store + "']";
        JsonPath customers = json(TestTokens.admin(), "/api/v1/kpis/customers",
                Map.of("store", store, "from", from.toString(), "to", today.toString(), "granularity", "month"));
        JsonPath turnover = json(TestTokens.admin(), "/api/v1/kpis/inventory/turnover", range);

        open(TestTokens.admin());
        browser.get(dashboard + "#store=" + store + "&from=" + from + "&to=" + today);
        Formats page = formats();
        awaitText("daily-net-" + store + "-" + threeDaysAgo, page.money(daily.getObject(day + ".net_sales", BigDecimal.class)));
        assertThat(text("daily-transactions-" + store + "-" + threeDaysAgo)).isEqualTo(page.integer(2));
        assertThat(browser.findElements(By.cssSelector("#daily-table tbody tr"))).as("one row a day").hasSize(30);
        awaitText("monthly-net-" + store + "-" + month, page.money(monthly.getObject(bucket + ".net_sales", BigDecimal.class)));
        assertThat(browser.findElements(By.cssSelector("#monthly-table tbody tr"))).as("13 months").hasSize(13);
        awaitText("store-customers-new-" + store, page.integer(customers.getLong("by_store[0].figures.new_customers")));
        assertThat(text("store-customers-active-" + store))
                .isEqualTo(page.integer(customers.getLong("by_store[0].figures.active_customers")));
        assertThat(text("store-customers-retained-" + store))
                .isEqualTo(page.integer(customers.getLong("by_store[0].figures.retained_customers")));
        assertThat(value("turnover-" + store)).isEqualTo(plain(turnover.getObject("by_store[0].figures.turnover", BigDecimal.class)));
        assertThat(value("turnover-days-" + store))
                .isEqualTo(plain(turnover.getObject("by_store[0].figures.days_of_inventory", BigDecimal.class)));
        assertThat(text("turnover-cogs-" + store))
                .isEqualTo(page.money(turnover.getObject("by_store[0].figures.cogs", BigDecimal.class)));
        String slowest = turnover.getString("products.slowest[0].sku");
        assertThat(slowest).as("bread has stock over the range").isEqualTo(seed.code("BREAD"));
        assertThat(value("turnover-slowest-" + slowest))
                .isEqualTo(plain(turnover.getObject("products.slowest[0].figures.turnover", BigDecimal.class)));
        assertThat(value("turnover-fastest-" + slowest + "-days"))
                .isEqualTo(plain(turnover.getObject("products.fastest[0].figures.days_of_inventory", BigDecimal.class)));
        // Tests run without alert-service: the panel says so, by name, instead of an empty list.
        expectSectionOrNote("alerts", "/api/v1/alerts/firing");
        assertThat(text("alerts-unavailable")).contains("alert-service is not configured");
        assertThat(read(driver -> String.valueOf(driver.findElement(By.cssSelector("[data-testid='range-store-" + store + "']"))
                .isSelected()))).as("the chosen store is ticked").isEqualTo("true");

        // The CSV of a table is the table: its header, and each figure's value as the API gave it.
        List<String> csv = List.of(((org.openqa.selenium.JavascriptExecutor) browser)
                .executeScript("return window.levainDashboard.csv('daily-table')").toString().split("\\R"));
        assertThat(csv.get(0)).isEqualTo("day," + store + " net," + store + " transactions");
        assertThat(csv).hasSize(31).contains(threeDaysAgo + "," + plain(daily.getObject(day + ".net_sales", BigDecimal.class))
                + ",2");
        List<String> customersCsv = List.of(((org.openqa.selenium.JavascriptExecutor) browser)
                .executeScript("return window.levainDashboard.csv('store-customers-table')").toString().split("\\R"));
        assertThat(customersCsv.get(1)).startsWith("Store " + store + "," + customers.getLong("by_store[0].figures.new_customers")
                + "," + customers.getLong("by_store[0].figures.active_customers"));

        // The same table as Excel: the workbook the page gets holds the CSV's cells, numbers as numbers.
        Object base64 = ((org.openqa.selenium.JavascriptExecutor) browser).executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                window.levainDashboard.xlsx('daily-table')
                  .then((blob) => { const reader = new FileReader(); reader.onload = () => done(reader.result.split(',')[1]);
                                    reader.readAsDataURL(blob); })
                  .catch((e) => done('failed: ' + e.message));""");
        assertThat(base64.toString()).doesNotStartWith("failed");
        try (org.apache.poi.xssf.usermodel.XSSFWorkbook workbook = new org.apache.poi.xssf.usermodel.XSSFWorkbook(
                new java.io.ByteArrayInputStream(java.util.Base64.getDecoder().decode(base64.toString())))) {
            org.apache.poi.ss.usermodel.Sheet sheet = workbook.getSheet("daily");
            assertThat(sheet.getLastRowNum()).as("header and a row a day").isEqualTo(30);
            List<String> rows = new java.util.ArrayList<>();
            for (org.apache.poi.ss.usermodel.Row row : sheet) {
                List<String> cells = new java.util.ArrayList<>();
                row.forEach(cell -> cells.add(cell.getCellType() == org.apache.poi.ss.usermodel.CellType.NUMERIC
                        ? plain(BigDecimal.valueOf(cell.getNumericCellValue())) : cell.getStringCellValue()));
                rows.add(String.join(",", cells));
            }
            assertThat(rows).isEqualTo(csv);
        }

        // An admin clicks a store-day figure: the raw events that make it, as the lineage API lists them.
        JsonPath lineage = json(TestTokens.admin(), "/api/v1/admin/lineage/daily-sales",
                Map.of("store", store, "date", threeDaysAgo.toString()));
        assertThat(lineage.getLong("sales")).isEqualTo(2);
        ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("arguments[0].click()",
                browser.findElement(By.cssSelector("[data-testid='lineage-" + store + "-" + threeDaysAgo + "']")));
        awaitText("lineage-raw-events", page.integer(lineage.getLong("raw_events")));
        assertThat(text("lineage-sales")).isEqualTo(page.integer(2));
        assertThat(text("lineage-refunds")).isEqualTo(page.integer(0));
        assertThat(read(driver -> driver.findElements(By.cssSelector("#lineage-table tbody tr")).stream()
                .map(row -> row.getAttribute("data-testid")).sorted().toList().toString()))
                .as("a row per raw event behind the figure")
                .isEqualTo(lineage.getList("events.raw_event_id", Long.class).stream().map(id -> "lineage-event-" + id)
                        .sorted().toList().toString());
        assertThat(text("lineage-what")).contains(store);
        // The daily figure's CSV stays the number, not the link around it.
        assertThat(csv).contains(threeDaysAgo + "," + plain(daily.getObject(day + ".net_sales", BigDecimal.class)) + ",2");

        // Other dates through the pickers: the fragment follows, and the daily table with it.
        ((org.openqa.selenium.JavascriptExecutor) browser).executeScript(
                "document.getElementById('range-from').value = arguments[0]; document.getElementById('range-apply').click();",
                today.minusDays(6).toString());
        new WebDriverWait(browser, WAIT).until(driver -> driver.getCurrentUrl().contains("from=" + today.minusDays(6)));
        new WebDriverWait(browser, WAIT).ignoring(StaleElementReferenceException.class)
                .until(driver -> driver.findElements(By.cssSelector("#daily-table tbody tr")).size() == 7);
        awaitText("daily-net-" + store + "-" + threeDaysAgo, page.money(daily.getObject(day + ".net_sales", BigDecimal.class)));
    }

    /** A JSON number as the page keeps it in data-value (JavaScript's String(number)). */
    private static String plain(BigDecimal value) {
        return value == null ? "" : value.stripTrailingZeros().toPlainString();
    }

    @Test
    void viewerSeesTheNumbersButNoCostFigures() throws IOException {
        ZonedDateTime now = ZonedDateTime.now(PARIS).truncatedTo(ChronoUnit.SECONDS);
        // 4 × 2.00 − 0.40 = 7.60
        seed.sale(storeId, null, now.toOffsetDateTime().toString(), "in_store", "completed",
                new CoreSeed.Line(bread, "4", "2.00", "0.40"));
        seed.rollUp();
        seed.stock(bread, storeId, "3", now.toOffsetDateTime().toString());
        String viewer = TestTokens.viewer(store);
        JsonPath today = todayJson(viewer);
        assertThat(today.getList("stores.store")).containsExactly(store);
        assertThat(today.getObject("stores[0].today.net_sales", BigDecimal.class)).isEqualByComparingTo("7.60");
        assertThat(today.getMap("stores[0].today")).doesNotContainKeys("cogs", "gross_margin");

        open(viewer);
        Formats page = formats();
        awaitText("today-net-" + store, page.money(new BigDecimal("7.60")));
        awaitText("month-net-" + store, page.money(new BigDecimal("7.60")));
        expectSectionOrNote("stock", "/api/v1/kpis/inventory/levels");
        awaitText("stock-status-" + store + "-" + seed.code("BREAD"), "low");
        assertThat(browser.findElements(By.cssSelector("[data-testid^='today-cogs-'], [data-testid^='today-gross-margin-'],"
                + " [data-testid^='month-cogs-'], [data-testid^='month-gross-margin-'], [data-testid^='stock-unit-cost-'],"
                + " [data-testid^='stock-value-'], [data-testid^='stock-store-value-'], [data-testid^='turnover-cogs-'],"
                + " [data-testid^='turnover-value-']"))).as("cost figures on a viewer's page").isEmpty();
        awaitText("store-customers-active-" + store, page.integer(0));
        assertThat(read(driver -> driver.findElements(By.cssSelector("#range-stores input")).stream()
                .map(box -> box.getAttribute("value")).toList().toString())).as("a viewer picks among its stores only")
                .isEqualTo(List.of(store).toString());
        awaitText("daily-net-" + store + "-" + now.toLocalDate(), page.money(new BigDecimal("7.60")));
        assertThat(browser.findElements(By.cssSelector("button.lineage"))).as("lineage is for admins").isEmpty();
        assertThat(browser.findElement(By.tagName("body")).getText()).doesNotContainIgnoringCase("cogs")
                .doesNotContainIgnoringCase("margin").contains("viewer");
        screenshot("dashboard-viewer.png");
    }

    /** A goal on this store: transactions +50% against the week that ended a week ago, in 90 days. */
    private long aTransactionsGoal(LocalDate today) {
        Map<String, Object> goal = Map.of("name", "Transactions +50% " + store, "metric", "transactions",
                "stores", List.of(store), "baseline_from", today.minusDays(13).toString(),
                "baseline_to", today.minusDays(7).toString(), "target_change_percent", 50,
                "deadline", today.plusDays(90).toString());
        return given().header("Authorization", bearer(TestTokens.admin())).contentType("application/json").body(goal)
                .when().post("/api/v1/goals")
                .then().statusCode(201).extract().jsonPath().getLong("id");
    }

    /** Progress as the page writes it: Intl with at most one decimal, then " %". */
    private static String progressText(BigDecimal percent) {
        java.text.NumberFormat format = java.text.NumberFormat.getNumberInstance(formats().locale());
        format.setMaximumFractionDigits(1);
        return Formats.spaces(format.format(percent) + " %");
    }

    /** Opens the dashboard afresh with {@code token} in the URL fragment, as `levain up` prints it. */
    private void open(String token) {
        browser.get("about:blank");
        browser.get(dashboard + "#token=" + token);
    }

    /** The section shows its content when the endpoint answers 200, and a "not available" note otherwise. */
    private void expectSectionOrNote(String section, String endpoint) {
        int status = given().header("Authorization", bearer(TestTokens.admin())).when().get(endpoint).statusCode();
        String shown = status == 200 ? section + "-body" : section + "-unavailable";
        try {
            new WebDriverWait(browser, WAIT).ignoring(StaleElementReferenceException.class)
                    .until(driver -> driver.findElement(By.id(shown)).isDisplayed());
        } catch (TimeoutException e) {
            assertThat(browser.findElement(By.id(shown)).isDisplayed()).as(shown + " shown (endpoint answered " + status + ")")
                    .isTrue();
        }
        if (status != 200) {
            assertThat(text(section + "-unavailable")).contains("not available");
        }
    }

    private static JsonPath todayJson(String token) {
        return json(token, "/api/v1/kpis/sales/today", Map.of());
    }

    private static JsonPath json(String token, String path, Map<String, ?> query) {
        Response response = given().header("Authorization", bearer(token)).queryParams(query)
                .when().get(path);
        String body = response.asString();
        assertThat(response.statusCode()).as(path + " " + query + " answered " + body).isEqualTo(200);
        return JsonPath.from(body).using(new JsonPathConfig(JsonPathConfig.NumberReturnType.BIG_DECIMAL));
    }

    /** What {@code testid} shows; read again when the page redraws it meanwhile. */
    private static String text(String testid) {
        return read(driver -> Formats.spaces(driver.findElement(By.cssSelector("[data-testid='" + testid + "']")).getText()));
    }

    private static String value(String testid) {
        return read(driver -> driver.findElement(By.cssSelector("[data-testid='" + testid + "']")).getAttribute("data-value"));
    }

    private static String read(Function<WebDriver, String> reading) {
        return new WebDriverWait(browser, WAIT).ignoring(StaleElementReferenceException.class).until(reading::apply);
    }

    /** Waits for {@code testid} to read {@code expected}, then states what it read instead. */
    private static void awaitText(String testid, String expected) {
        Function<WebDriver, Boolean> shows = driver -> driver.findElements(By.cssSelector("[data-testid='" + testid + "']"))
                .stream().map(element -> Formats.spaces(element.getText())).anyMatch(expected::equals);
        try {
            new WebDriverWait(browser, WAIT).ignoring(StaleElementReferenceException.class).until(shows::apply);
        } catch (TimeoutException e) {
            assertThat(text(testid)).as(testid).isEqualTo(expected);
        }
    }

    /** Money and counts formatted as the page does: Intl in the page's locale, money in the store's currency (EUR). */
    private static Formats formats() {
        new WebDriverWait(browser, WAIT).until(driver -> driver.findElement(By.tagName("html")).getAttribute("data-locale") != null);
        return new Formats(Locale.forLanguageTag(browser.findElement(By.tagName("html")).getAttribute("data-locale")));
    }

    private record Formats(Locale locale) {

        String money(BigDecimal amount) {
            java.text.NumberFormat format = java.text.NumberFormat.getCurrencyInstance(locale);
            format.setCurrency(Currency.getInstance("EUR"));
            return spaces(format.format(amount));
        }

        String integer(long count) {
            return spaces(java.text.NumberFormat.getIntegerInstance(locale).format(count));
        }

        /** No-break spaces (French money, say) compared as plain ones, as getText() may give either. */
        static String spaces(String text) {
            return text.replace('\u00a0', ' ').replace('\u202f', ' ');
        }
    }

    private static void screenshot(String name) throws IOException {
        Path shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
        Files.createDirectories(Path.of("target"));
        Files.copy(shot, Path.of("target", name), StandardCopyOption.REPLACE_EXISTING);
    }
}
