package dev.levain.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.function.Function;
import java.util.stream.Stream;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The dashboard in Debian's chromium, headless, driven through Debian's chromedriver (.ci/run installs both). */
final class Chromium implements AutoCloseable {

    private static final Path BINARY = Path.of("/usr/bin/chromium");
    private static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    private final ChromeDriverService service;
    private final WebDriver browser;
    private final Path profile;

    Chromium() throws IOException {
        assertThat(Files.isExecutable(BINARY) && Files.isExecutable(DRIVER))
                .as("the dashboard is checked in " + BINARY + " through " + DRIVER + ": install them with "
                        + "`apt-get install -y chromium chromium-driver` (.ci/run does so in CI)")
                .isTrue();
        profile = Files.createTempDirectory("levain-chromium-");
        // The driver is named explicitly, so Selenium Manager never looks for (or downloads) one.
        System.setProperty(ChromeDriverService.CHROME_DRIVER_EXE_PROPERTY, DRIVER.toString());
        service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile()).usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BINARY.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile);
        browser = new ChromeDriver(service, options);
        // Tall enough that a screenshot holds every panel of the dashboard.
        browser.manage().window().setSize(new Dimension(1400, 4600));
    }

    void open(String url) {
        browser.get("about:blank");
        browser.get(url);
    }

    /** The element marked {@code data-testid}, once it is shown. */
    WebElement byTestId(String testid, Duration within) {
        return until(within, driver -> {
            WebElement element = driver.findElement(By.cssSelector("[data-testid='" + testid + "']"));
            return element.isDisplayed() ? element : null;
        });
    }

    /** Waits until {@code check} answers something other than null or false, re-reading what the page redraws. */
    <T> T until(Duration within, Function<WebDriver, T> check) {
        return new WebDriverWait(browser, within).ignoring(StaleElementReferenceException.class)
                .ignoring(org.openqa.selenium.NoSuchElementException.class).until(check::apply);
    }

    /** Whether the element {@code id} is shown. */
    boolean shown(String id) {
        return browser.findElement(By.id(id)).isDisplayed();
    }

    /** Saves what the window shows as a PNG at {@code file}. */
    void screenshot(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Files.copy(((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath(), file,
                StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public void close() throws IOException {
        browser.quit();
        service.stop();
        try (Stream<Path> files = Files.walk(profile)) {
            files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        }
    }
}
