package io.berth.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's Chromium, headless, driven through Debian's chromedriver: both paths are given, so
 * Selenium Manager never looks for (or downloads) a browser or a driver. Each browser gets a fresh
 * profile directory, removed on close. A person's actions: open a page of the console, type, press
 * Enter, read what the page says.
 */
final class Browser implements AutoCloseable {
    static final Path CHROMIUM = Path.of(System.getProperty("berth.chromium", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getProperty("berth.chromedriver", "/usr/bin/chromedriver"));
    /** where screenshots go: target/screenshots, or docs/screenshots with -Dberth.screenshots=docs */
    static final boolean DOCS = "docs".equals(System.getProperty("berth.screenshots"));
    static final Path SCREENSHOTS = DOCS ? SystemPlatform.ROOT.resolve("docs/screenshots") : SystemPlatform.TARGET.resolve("screenshots");

    final ChromeDriver driver;
    final String base;
    private final Path profile;

    Browser(String consoleUrl) throws IOException {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            throw new IllegalStateException("the browser tests need Debian's chromium and chromium-driver ("
                    + CHROMIUM + ", " + CHROMEDRIVER + "): apt-get install chromium chromium-driver (bin/berth-dev test does)");
        }
        this.base = consoleUrl.endsWith("/") ? consoleUrl : consoleUrl + "/";
        this.profile = Files.createTempDirectory("berth-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-extensions", "--hide-scrollbars", "--window-size=1280,800", "--lang=en-US",
                "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().withLogFile(SystemPlatform.TARGET.resolve("system/chromedriver.log").toFile()).build();
        this.driver = new ChromeDriver(service, options);
        // the window's size includes what headless Chromium keeps for its own frame: make the page itself 1280x800
        driver.manage().window().setSize(new Dimension(1280, 800));
        Number chrome = (Number) driver.executeScript("return window.outerHeight - window.innerHeight");
        if (chrome != null && chrome.intValue() > 0) {
            driver.manage().window().setSize(new Dimension(1280, 800 + chrome.intValue()));
        }
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
    }

    /** The console at a route of its web app, e.g. "#/apps". */
    Browser open(String hash) {
        driver.get(base + hash);
        return this;
    }

    /** Signs in as a person would: the login page, the token pasted, Enter. */
    Browser signIn(String token) {
        open("#/login");
        WebElement input = await(By.id("token"), Duration.ofSeconds(15));
        input.clear();
        input.sendKeys(token, Keys.ENTER);
        awaitTrue(d -> d.findElements(By.cssSelector("#session [data-user]")).size() > 0, Duration.ofSeconds(15),
                "the header shows who is signed in");
        return this;
    }

    void signOut() {
        await("#sign-out").click();
        await(By.id("token"), Duration.ofSeconds(10));
    }

    WebElement await(By by, Duration timeout) {
        return new WebDriverWait(driver, timeout).withMessage(() -> by + " on " + driver.getCurrentUrl())
                .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .until(d -> d.findElements(by).stream().filter(WebElement::isDisplayed).findFirst().orElse(null));
    }

    WebElement await(String css) {
        return await(By.cssSelector(css), Duration.ofSeconds(20));
    }

    <T> T awaitTrue(Function<WebDriver, T> condition, Duration timeout, String what) {
        // a live page repaints its tables: an element read just as it is replaced is read again next round
        return new WebDriverWait(driver, timeout, Duration.ofMillis(100)).withMessage(() -> what + " (on " + driver.getCurrentUrl() + ")")
                .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .until(condition);
    }

    /** Waits until the element's text contains words. */
    WebElement awaitText(String css, String words, Duration timeout) {
        return awaitTrue(d -> d.findElements(By.cssSelector(css)).stream().filter(e -> e.getText().contains(words)).findFirst()
                .orElse(null), timeout, "'" + words + "' in " + css);
    }

    List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    String text(String css) {
        return driver.findElement(By.cssSelector(css)).getText();
    }

    /** Clears a field and types into it. */
    WebElement type(String css, CharSequence... keys) {
        WebElement input = await(css);
        input.clear();
        input.sendKeys(keys);
        return input;
    }

    /** Sets an input whose typing is locale-dependent (datetime-local) as the page's own script would read it. */
    void setValue(String css, String value) {
        script("const e = document.querySelector(arguments[0]); e.value = arguments[1]; e.dispatchEvent(new Event('input', {bubbles: true}));"
                + "e.dispatchEvent(new Event('change', {bubbles: true}));", css, value);
    }

    Object script(String js, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(js, args);
    }

    /** Clicks a tab of an app's page by its label and waits for its panel. */
    void tab(String id) {
        await("#tab-" + id).click();
        awaitTrue(d -> "true".equals(d.findElement(By.id("tab-" + id)).getAttribute("aria-selected"))
                && d.findElements(By.cssSelector("#tab-panel .loading")).isEmpty(), Duration.ofSeconds(20), "tab " + id);
    }

    /** A 1280x800 screenshot as name.png (see SCREENSHOTS); scrolled to the element when one is given. */
    Path screenshot(String name, String scrollToCss) throws IOException {
        if (scrollToCss != null) {
            script("document.querySelector(arguments[0]).scrollIntoView({block: 'start'}); window.scrollBy(0, -16);", scrollToCss);
        } else {
            script("window.scrollTo(0, 0)");
        }
        // as a person would look at it: no caret in a field, no passing notification over the content
        script("document.activeElement && document.activeElement.blur(); document.getElementById('toasts')?.replaceChildren();");
        // let the page settle: fonts, the frame after a live update
        script("return new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 150))))");
        Files.createDirectories(SCREENSHOTS);
        Path target = SCREENSHOTS.resolve(name + ".png");
        Path shot = driver.getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(shot, target, StandardCopyOption.REPLACE_EXISTING);
        System.out.println("screenshot: " + target);
        return target;
    }

    @Override
    public void close() throws IOException {
        try {
            driver.quit();
        } finally {
            try (Stream<Path> walk = Files.walk(profile)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    static void sleep(long millis) {
        Tenants.sleep(millis);
    }

}
