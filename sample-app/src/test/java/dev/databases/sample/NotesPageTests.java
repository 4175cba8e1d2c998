package dev.databases.sample;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The notes page in headless Chromium: what a user types is stored and listed. Debian's
 * {@code chromium} and {@code chromium-driver} are named by path, so Selenium Manager is
 * never asked to find or download anything (the build also sets {@code SE_OFFLINE}).
 * Without them the test is skipped and says so; in CI ({@code CI=true} or
 * {@code DATABASES_TEST_REQUIRE=all}) it fails instead.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@TestInstance(Lifecycle.PER_CLASS)
class NotesPageTests {

	private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

	private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

	private static final Duration TIMEOUT = Duration.ofSeconds(15);

	@LocalServerPort
	private int port;

	private @Nullable WebDriver driver;

	private @Nullable String skipped;

	@BeforeAll
	void startBrowser(@TempDir Path profile) {
		List<Path> missing = Stream.of(CHROMIUM, CHROMEDRIVER).filter((file) -> !Files.isExecutable(file)).toList();
		if (!missing.isEmpty()) {
			this.skipped = TestEnvironment.unavailable(TestEnvironment.ci() || TestEnvironment.requireAll(),
					"Chromium is not installed (missing " + missing + "), so the notes page is not tested in a "
							+ "browser. Install it with: apt-get install chromium chromium-driver");
			return;
		}
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
			.usingAnyFreePort()
			.build();
		ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
			.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
					"--disable-background-networking", "--disable-component-update", "--disable-sync",
					"--user-data-dir=" + profile.toAbsolutePath());
		this.driver = new ChromeDriver(service, options);
	}

	@AfterAll
	void quitBrowser() {
		if (this.driver != null) {
			this.driver.quit();
		}
	}

	@BeforeEach
	void openPage() {
		TestEnvironment.skipIf(this.skipped);
		driver().get("http://localhost:" + this.port + "/");
		// The list is filled by script after the page loads; wait for that before typing.
		new WebDriverWait(driver(), TIMEOUT).until(
				(browser) -> (Boolean) ((ChromeDriver) browser).executeScript("return document.readyState === 'complete'"));
	}

	@Test
	void addingANoteShouldListIt() {
		String text = "page note " + UUID.randomUUID();
		WebElement input = driver().findElement(By.id("text"));
		input.sendKeys(text);
		driver().findElement(By.cssSelector("#add button")).click();

		new WebDriverWait(driver(), TIMEOUT)
			.until(ExpectedConditions.textToBePresentInElementLocated(By.id("notes"), text));
		assertThat(driver().findElements(By.cssSelector("#notes li span"))).extracting(WebElement::getText)
			.contains(text);
		assertThat(input.getDomProperty("value")).as("the input after adding").isEmpty();
		assertThat(driver().findElement(By.id("error")).getText()).isEmpty();
		WebTestClient.bindToServer()
			.baseUrl("http://localhost:" + this.port)
			.build()
			.get()
			.uri("/notes")
			.exchange()
			.expectBodyList(Note.class)
			.value((notes) -> assertThat(notes).extracting(Note::text).contains(text));
	}

	@Test
	void addingABlankNoteShouldShowWhyItWasRejected() {
		driver().findElement(By.id("text")).sendKeys("   ");
		driver().findElement(By.cssSelector("#add button")).click();

		new WebDriverWait(driver(), TIMEOUT)
			.until(ExpectedConditions.textToBePresentInElementLocated(By.id("error"), "text: must not be blank"));
	}

	private WebDriver driver() {
		assertThat(this.driver).as("the browser").isNotNull();
		return this.driver;
	}

}
