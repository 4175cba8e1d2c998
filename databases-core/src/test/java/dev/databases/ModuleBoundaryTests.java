package dev.databases;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The module boundary as a user's module meets it: only the public packages are exported,
 * and code in another module that reaches for an internal package does not compile.
 */
class ModuleBoundaryTests {

	private static final Set<String> PUBLIC = Set.of("dev.databases", "dev.databases.jooq", "dev.databases.relational");

	/** The jars the module requires (not statically), found on the test class path. */
	private static final List<String> REQUIRED_JARS = List.of("r2dbc-spi-", "reactor-core-", "reactive-streams-",
			"jspecify-", "r2dbc-pool-", "reactor-pool-");

	@TempDir
	Path temp;

	@Test
	void moduleShouldExportOnlyThePublicPackages() throws IOException, URISyntaxException {
		ModuleDescriptor descriptor = descriptor();
		assertThat(descriptor.name()).isEqualTo("dev.databases");
		assertThat(descriptor.exports()).allSatisfy((export) -> assertThat(export.isQualified()).isFalse());
		assertThat(descriptor.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet()))
			.isEqualTo(PUBLIC);
		for (String internal : List.of("backend", "parsing", "reactor", "r2dbc")) {
			assertThat(coreClasses().resolve("dev/databases/internal").resolve(internal)).isDirectory();
		}
	}

	@Test
	void aUsersModuleShouldSeeThePublicApiButNoInternalPackage() throws IOException, URISyntaxException {
		String publicUse = "package app; public class Uses { public Object db() { return dev.databases.Database"
				+ ".builder(\"h2:mem:///app\").build(); } }";
		assertThat(compile("Uses", publicUse)).isEmpty();
		String internalUse = "package app; public class Reaches { public Object syntax() { return "
				+ "dev.databases.internal.parsing.SqlSyntax.POSTGRESQL; } }";
		assertThat(compile("Reaches", internalUse)).anySatisfy((message) -> assertThat(message)
			.contains("dev.databases.internal.parsing").containsAnyOf("not visible", "does not export"));
	}

	private List<String> compile(String className, String source) throws IOException, URISyntaxException {
		Path sources = Files.createDirectories(this.temp.resolve(className).resolve("src"));
		Files.writeString(sources.resolve("module-info.java"), "module app { requires dev.databases; }");
		Path file = Files.createDirectories(sources.resolve("app")).resolve(className + ".java");
		Files.writeString(file, source);
		Path out = Files.createDirectories(this.temp.resolve(className).resolve("out"));
		List<String> modulePath = new ArrayList<>();
		modulePath.add(coreClasses().toString());
		for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
			String name = Path.of(entry).getFileName().toString();
			if (REQUIRED_JARS.stream().anyMatch(name::startsWith) && name.endsWith(".jar")) {
				modulePath.add(entry);
			}
		}
		JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
		DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
		try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, null, null)) {
			List<String> options = List.of("--module-path", String.join(java.io.File.pathSeparator, modulePath), "-d",
					out.toString());
			javac
				.getTask(null, files, diagnostics, options, null,
						files.getJavaFileObjects(sources.resolve("module-info.java"), file))
				.call();
		}
		return diagnostics.getDiagnostics()
			.stream()
			.filter((diagnostic) -> diagnostic.getKind() == javax.tools.Diagnostic.Kind.ERROR)
			.map((diagnostic) -> diagnostic.getMessage(null))
			.toList();
	}

	private static ModuleDescriptor descriptor() throws IOException, URISyntaxException {
		try (InputStream in = Files.newInputStream(coreClasses().resolve("module-info.class"))) {
			return ModuleDescriptor.read(in);
		}
	}

	private static Path coreClasses() throws URISyntaxException {
		return Path.of(Database.class.getProtectionDomain().getCodeSource().getLocation().toURI());
	}

}
