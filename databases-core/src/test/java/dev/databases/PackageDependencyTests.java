package dev.databases;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packages of the core, as {@code jdeps} reads them from the compiled classes: no
 * package imports a package that imports it back, and the internal packages never reach
 * up into the public API.
 */
class PackageDependencyTests {

	private static final List<String> REQUIRED_JARS = List.of("r2dbc-spi-", "reactor-core-", "reactive-streams-",
			"jspecify-", "r2dbc-pool-", "reactor-pool-");

	private static final Pattern EDGE = Pattern.compile("^\\s+(dev\\.databases[\\w.]*)\\s+->\\s+(dev\\.databases[\\w.]*)\\s");

	@Test
	void noTwoPackagesShouldImportEachOther() throws URISyntaxException {
		Set<String> edges = edges();
		assertThat(edges).as("jdeps found no edges: the check would prove nothing").isNotEmpty();
		List<String> mutual = new ArrayList<>();
		for (String edge : edges) {
			String[] ends = edge.split(" -> ");
			if (edges.contains(ends[1] + " -> " + ends[0])) {
				mutual.add(edge);
			}
		}
		assertThat(mutual).isEmpty();
	}

	@Test
	void internalPackagesShouldNotDependOnThePublicApi() throws URISyntaxException {
		assertThat(edges()).filteredOn((edge) -> edge.startsWith("dev.databases.internal."))
			.noneMatch((edge) -> edge.endsWith(" -> dev.databases") || edge.contains(" -> dev.databases.jooq")
					|| edge.contains(" -> dev.databases.relational"));
	}

	/** Every {@code from -> to} between two different packages of the core. */
	private static Set<String> edges() throws URISyntaxException {
		Path classes = Path.of(Database.class.getProtectionDomain().getCodeSource().getLocation().toURI());
		List<String> modulePath = new ArrayList<>();
		for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
			String name = Path.of(entry).getFileName().toString();
			if (REQUIRED_JARS.stream().anyMatch(name::startsWith) && name.endsWith(".jar")) {
				modulePath.add(entry);
			}
		}
		ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow();
		StringWriter out = new StringWriter();
		int status = jdeps.run(new PrintWriter(out), new PrintWriter(out), "--multi-release", "17", "-verbose:package",
				"-filter:none", "--ignore-missing-deps", "--module-path",
				String.join(java.io.File.pathSeparator, modulePath), classes.toString());
		assertThat(status).as(out.toString()).isZero();
		Set<String> edges = new TreeSet<>();
		for (String line : out.toString().split("\n")) {
			Matcher edge = EDGE.matcher(line);
			if (edge.find() && !edge.group(1).equals(edge.group(2))) {
				edges.add(edge.group(1) + " -> " + edge.group(2));
			}
		}
		return edges;
	}

}
