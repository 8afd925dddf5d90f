package io.tidegate.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * The dashboard in a real browser: Debian's headless Chromium, driven through chromedriver by
 * Selenium against the real server over the realistic store. Signs in through the form, opens
 * every page, checks what it shows (also at 375 px), saves screenshots in
 * {@code target/screenshots/}, and fails on any console error (a CSP violation is one).
 *
 * <p>Chromium and chromedriver are required ({@code apt-get install chromium chromium-driver};
 * {@code .ci/run} installs them): without them this test fails, saying so. Only an explicit
 * {@code -Dtidegate.skipBrowser=true} skips it.
 */
@Tag("browser")
class DashboardBrowserTest {
    static final Path CHROMIUM = Path.of(System.getProperty("tidegate.chromium",
            "/usr/bin/chromium"));
    static final Path DRIVER = Path.of(System.getProperty("tidegate.chromedriver",
            "/usr/bin/chromedriver"));
    static final Path SHOTS = Path.of("target", "screenshots");

    @TempDir
    static Path dir;
    @TempDir
    static Path profile;
    static DashboardFixture fixture;
    static DashboardServer server;
    static ChromeDriver browser;

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeFalse(Boolean.getBoolean("tidegate.skipBrowser"),
                "browser test skipped on request (-Dtidegate.skipBrowser=true)");
        assertThat(Files.isExecutable(CHROMIUM)).as("%s is missing: install Debian's chromium "
                + "and chromium-driver (apt-get install -y chromium chromium-driver; .ci/run "
                + "does it)", CHROMIUM).isTrue();
        assertThat(Files.isExecutable(DRIVER)).as("%s is missing: apt-get install -y "
                + "chromium-driver", DRIVER).isTrue();
        fixture = new DashboardFixture(dir).fill();
        server = new DashboardServer(fixture, false);
        browser = chrome();
    }

    /** Chromium with no network beyond loopback and a fresh, empty profile. */
    private static ChromeDriver chrome() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                "--hide-scrollbars", "--user-data-dir=" + profile.toAbsolutePath());
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(DRIVER.toFile()).usingAnyFreePort()
                .withTimeout(Duration.ofSeconds(60)).build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
        driver.manage().window().setSize(new Dimension(1200, 1000));
        return driver;
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (server != null) {
            server.close();
        }
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void signsInOpensEveryPageSeesItsContentAtDesktopAndPhoneWidthWithoutConsoleErrors()
            throws Exception {
        browser.get(server.url("/deployments"));
        waitFor(By.id("token"));
        assertThat(browser.getCurrentUrl()).endsWith("/login?next=/deployments");
        browser.findElement(By.id("token")).sendKeys(DashboardServer.DASHBOARD_TOKEN);
        browser.findElement(By.cssSelector("form button[type=submit]")).click();
        waitFor(By.tagName("footer"));
        assertThat(browser.getCurrentUrl()).as(text()).endsWith("/deployments");
        assertThat(browser.manage().getCookieNamed(DashboardAccess.SESSION_COOKIE).isHttpOnly())
                .isTrue();

        open("/?tz=Europe/Berlin", "Environments now");
        assertThat(text()).contains("production ❄ frozen", "frozen: Christmas",
                "Opens Mon 2026-12-28 09:00 KST", "your time: Mon 2026-12-28 01:00 CET",
                "Locked by acme/infra#45");
        assertThat(browser.findElements(By.cssSelector("svg.timeline rect.tl-frozen")))
                .isNotEmpty();
        shoot("now");

        open("/waiting", "What waits");
        assertThat(text()).contains("<script>alert('x')</script> & \"quotes\"",
                "approvals-missing", "devops-lead (approval) lead1");
        shoot("waiting");

        open("/deployments?environment=production", "Deployments: production");
        assertThat(text()).contains("last 30 days", "Deployments and success rate per day",
                "Duration distribution", "Failures and lost results", "History");
        assertThat(browser.findElements(By.cssSelector("svg.chart rect.bar-ok"))).isNotEmpty();
        shoot("deployments");

        open("/decisions?repo=acme/network", "Decisions");
        WebElement first = browser.findElement(By.cssSelector("details.decision summary"));
        first.click();
        assertThat(text()).contains("Replay it: tidegate replay ", "Facts");
        shoot("decisions");

        browser.manage().window().setSize(new Dimension(375, 800));
        for (String path : List.of("/", "/waiting", "/deployments", "/decisions")) {
            browser.get(server.url(path));
            waitFor(By.tagName("footer"));
            long width = (Long) ((JavascriptExecutor) browser).executeScript(
                    "return document.documentElement.scrollWidth;");
            assertThat(width).as("page %s is wider than a 375 px phone", path)
                    .isLessThanOrEqualTo(375);
        }
        shoot("waiting-375px");

        List<LogEntry> errors = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).toList();
        assertThat(errors).as("console errors").isEmpty();
    }

    private static void open(String path, String heading) throws InterruptedException {
        browser.get(server.url(path));
        waitFor(By.tagName("h1"));
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo(heading);
        assertThat(browser.getTitle()).isEqualTo(heading.replaceFirst(":.*", "")
                + " · Tidegate");
    }

    private static String text() {
        return browser.findElement(By.tagName("body")).getText();
    }

    /** Polls for the element until a 30 s deadline (the machine may be loaded). */
    private static void waitFor(By by) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (browser.findElements(by).isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no " + by + " within 30 s on "
                        + browser.getCurrentUrl() + ", which shows: " + text());
            }
            Thread.sleep(100);
        }
    }

    private static void shoot(String name) throws Exception {
        Files.createDirectories(SHOTS);
        File png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(png.toPath(), SHOTS.resolve(name + ".png"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
}
