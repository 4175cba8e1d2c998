package dev.databases.sample;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.databases.boot.DatabaseProperties;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.handler.NoUnboundElementsBindHandler;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.io.ByteArrayResource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Keeps README.md honest: every {@code java} block must be, whitespace aside, one tagged
 * region of {@link ReadmeSnippetsTests} (which compiles and runs it), every region must
 * be shown, and the {@code yaml} block must bind to {@link DatabaseProperties} with no
 * key left over.
 */
class ReadmeTests {

	private static final Pattern FENCE = Pattern.compile("^```\\s*(\\S*)\\s*$");

	private static final Pattern TAG = Pattern.compile("^//\\s*tag::([\\w-]+)\\[]$");

	private static final Pattern END = Pattern.compile("^//\\s*end::([\\w-]+)\\[]$");

	private static final String SNIPPETS = "sample-app/src/test/java/dev/databases/sample/ReadmeSnippetsTests.java";

	@Test
	void everyJavaBlockShouldBeATaggedRegionOfTheSnippetsTests() throws IOException {
		List<Block> blocks = blocks("java");
		Map<String, List<String>> regions = regions();
		assertThat(blocks).as("java blocks in README.md").isNotEmpty();
		List<String> failures = new ArrayList<>();
		for (Block block : blocks) {
			boolean shown = regions.values().stream().anyMatch((region) -> normalise(region).equals(normalise(block.lines())));
			if (!shown) {
				failures.add(mismatch(block, regions));
			}
		}
		if (!failures.isEmpty()) {
			fail(failures.size() + " java block(s) of README.md are not a tagged region of " + SNIPPETS
					+ ", so nothing compiles or runs them. Copy the code into a region (// tag::name[] ... "
					+ "// end::name[]) that runs and asserts it, or fix the README:\n\n"
					+ String.join("\n\n", failures));
		}
	}

	@Test
	void everyTaggedRegionShouldBeShownInTheReadme() throws IOException {
		List<String> shown = blocks("java").stream().map((block) -> normalise(block.lines())).toList();
		Map<String, List<String>> regions = regions();
		assertThat(regions).as("tagged regions in " + SNIPPETS).isNotEmpty();
		assertThat(regions.entrySet()).as("tagged regions that README.md no longer shows")
			.filteredOn((region) -> !shown.contains(normalise(region.getValue())))
			.extracting(Map.Entry::getKey)
			.isEmpty();
	}

	@Test
	void yamlBlockShouldBindToDatabasePropertiesWithNoUnknownKey() throws IOException {
		List<Block> yaml = blocks("yaml");
		assertThat(yaml).as("yaml blocks in README.md").hasSize(1);
		ByteArrayResource resource = new ByteArrayResource(
				String.join("\n", yaml.get(0).lines()).getBytes(StandardCharsets.UTF_8), "README.md yaml block");
		Binder binder = new Binder(
				ConfigurationPropertySources.from(new YamlPropertySourceLoader().load("README.md", resource)));
		// Fails on any databases.* key that DatabaseProperties does not have, such as a typo.
		DatabaseProperties properties = binder
			.bind("databases", Bindable.of(DatabaseProperties.class),
					new NoUnboundElementsBindHandler(BindHandler.DEFAULT))
			.get();
		assertThat(properties.url()).isEqualTo("postgresql://localhost/example");
		assertThat(properties.pool().minSize()).isEqualTo(5);
		assertThat(properties.pool().maxSize()).isEqualTo(20);
		assertThat(properties.pool().acquireTimeout()).isEqualTo(Duration.ofSeconds(10));
		assertThat(properties.ssl().enabled()).isTrue();
		assertThat(properties.ssl().mode()).isEqualTo("verify-full");
		assertThat(properties.ssl().bundle()).isEqualTo("my-bundle");
		assertThat(properties.options()).containsExactly(Map.entry("application_name", "notes"));
		assertThat(properties.migrations().enabled()).isTrue();
		assertThat(properties.migrations().locations()).containsExactly("classpath:db/{vendor}");
		assertThat(properties.migrations().table()).isEqualTo("notes_schema_history");
		assertThat(properties.migrations().baselineOnMigrate()).isTrue();
	}

	@Test
	void commandsShouldBeTheOnesCiRuns() throws IOException {
		List<String> commands = blocks("").stream().map((block) -> normalise(block.lines())).toList();
		assertThat(commands).as("command blocks of README.md").hasSizeGreaterThanOrEqualTo(3);
		assertThat(commands.get(0)).as("the first command: build, then start the sample app")
			.isEqualTo("./mvnw -B -q install -DskipTests && ./mvnw -B -pl sample-app spring-boot:run");
		assertThat(commands.get(1)).as("the test command").isEqualTo("./mvnw -B verify");
		String ci = normalise(Files.readAllLines(root().resolve(".ci/run"), StandardCharsets.UTF_8));
		// The README says CI runs exactly its server test command.
		String servers = commands.get(2);
		assertThat(servers).endsWith("DATABASES_TEST_REQUIRE=all ./mvnw -B verify");
		String urls = servers.substring(0, servers.indexOf(' '));
		assertThat(ci).contains("export " + urls, "export DATABASES_TEST_REQUIRE=all", " ./mvnw -B verify ",
				"bash sample-app/smoke");
		// CI's smoke test starts the app with the README's first command itself.
		String smoke = normalise(Files.readAllLines(root().resolve("sample-app/smoke"), StandardCharsets.UTF_8));
		assertThat(smoke).contains("readme_command='" + commands.get(0) + "'");
	}

	/** The fenced blocks of README.md in one language, with the line each starts on. */
	private static List<Block> blocks(String language) throws IOException {
		List<String> lines = Files.readAllLines(root().resolve("README.md"), StandardCharsets.UTF_8);
		List<Block> blocks = new ArrayList<>();
		for (int i = 0; i < lines.size(); i++) {
			Matcher open = FENCE.matcher(lines.get(i));
			if (!open.matches()) {
				continue;
			}
			int start = i + 1;
			int end = start;
			while (end < lines.size() && !FENCE.matcher(lines.get(end)).matches()) {
				end++;
			}
			if (open.group(1).equals(language)) {
				blocks.add(new Block(start + 1, List.copyOf(lines.subList(start, end))));
			}
			i = end;
		}
		return blocks;
	}

	/** The tagged regions of the snippets source, by tag, in file order. */
	private static Map<String, List<String>> regions() throws IOException {
		List<String> lines = Files.readAllLines(root().resolve(SNIPPETS), StandardCharsets.UTF_8);
		Map<String, List<String>> regions = new LinkedHashMap<>();
		String tag = null;
		List<String> region = new ArrayList<>();
		for (String line : lines) {
			Matcher open = TAG.matcher(line.strip());
			Matcher close = END.matcher(line.strip());
			if (open.matches()) {
				assertThat(tag).as("tag::%s[] opened inside tag::%s[]", open.group(1), tag).isNull();
				tag = open.group(1);
				region = new ArrayList<>();
			}
			else if (close.matches()) {
				assertThat(close.group(1)).as("end::%s[] closes tag::%s[]", close.group(1), tag).isEqualTo(tag);
				assertThat(regions).as("tag %s used twice", tag).doesNotContainKey(tag);
				regions.put(tag, List.copyOf(region));
				tag = null;
			}
			else if (tag != null) {
				region.add(line);
			}
		}
		assertThat(tag).as("tag::%s[] is never closed", tag).isNull();
		return regions;
	}

	/** The checkout's root: the directory holding README.md and sample-app. */
	private static Path root() {
		Path directory = Path.of("").toAbsolutePath();
		while (directory != null) {
			if (Files.isRegularFile(directory.resolve("README.md")) && Files.isDirectory(directory.resolve("sample-app"))) {
				return directory;
			}
			directory = directory.getParent();
		}
		throw new IllegalStateException("No README.md beside sample-app above " + Path.of("").toAbsolutePath());
	}

	/** Whitespace never matters: indentation, alignment of comments, line breaks. */
	private static String normalise(List<String> lines) {
		return String.join(" ", lines).strip().replaceAll("\\s+", " ");
	}

	private static List<String> comparable(List<String> lines) {
		return lines.stream().map((line) -> line.strip().replaceAll("\\s+", " ")).filter((line) -> !line.isEmpty()).toList();
	}

	/** Describe a block that matches nothing, as a line diff against the closest region. */
	private static String mismatch(Block block, Map<String, List<String>> regions) {
		List<String> readme = comparable(block.lines());
		Map.Entry<String, List<String>> closest = regions.entrySet()
			.stream()
			.max(Comparator.comparingInt((region) -> common(readme, comparable(region.getValue()))))
			.orElse(null);
		StringBuilder message = new StringBuilder("README.md line " + block.line() + ": ");
		if (closest == null) {
			message.append("no tagged region at all; the block is:\n");
			readme.forEach((line) -> message.append("- ").append(line).append('\n'));
			return message.toString();
		}
		message.append("differs from the closest region, tag::")
			.append(closest.getKey())
			.append("[] (- README.md, + ")
			.append(SNIPPETS)
			.append("):\n");
		diff(readme, comparable(closest.getValue()), message);
		return message.toString();
	}

	/** Length of the longest common subsequence of lines. */
	private static int common(List<String> a, List<String> b) {
		return table(a, b)[0][0];
	}

	private static int[][] table(List<String> a, List<String> b) {
		int[][] lengths = new int[a.size() + 1][b.size() + 1];
		for (int i = a.size() - 1; i >= 0; i--) {
			for (int j = b.size() - 1; j >= 0; j--) {
				lengths[i][j] = a.get(i).equals(b.get(j)) ? lengths[i + 1][j + 1] + 1
						: Math.max(lengths[i + 1][j], lengths[i][j + 1]);
			}
		}
		return lengths;
	}

	private static void diff(List<String> readme, List<String> source, StringBuilder out) {
		int[][] lengths = table(readme, source);
		int i = 0;
		int j = 0;
		while (i < readme.size() || j < source.size()) {
			if (i < readme.size() && j < source.size() && readme.get(i).equals(source.get(j))) {
				out.append("  ").append(readme.get(i++)).append('\n');
				j++;
			}
			else if (j < source.size() && (i == readme.size() || lengths[i][j + 1] >= lengths[i + 1][j])) {
				out.append("+ ").append(source.get(j++)).append('\n');
			}
			else {
				out.append("- ").append(readme.get(i++)).append('\n');
			}
		}
	}

	/**
	 * A fenced block of README.md.
	 *
	 * @param line the line number of its first line of code
	 * @param lines its lines
	 */
	private record Block(int line, List<String> lines) {

	}

}
