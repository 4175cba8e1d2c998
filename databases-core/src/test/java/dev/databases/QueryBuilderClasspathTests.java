package dev.databases;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The query builders are optional dependencies of core: an application without jOOQ and
 * Spring Data Relational (and without any Spring jar) on its classpath compiles against
 * {@link Database} and runs. The application is compiled with javac and run on a class
 * loader over core's classes and this module's jars minus {@code org.jooq} and
 * {@code org.springframework}, whose parent sees only the JDK.
 */
class QueryBuilderClasspathTests {

	private static final String APP = """
			package probe;

			import java.time.Duration;
			import java.util.List;
			import java.util.Map;
			import java.util.function.Supplier;

			import dev.databases.Database;
			import dev.databases.Query;
			import dev.databases.Record;

			public class App implements Supplier<Object> {

				@Override
				public Object get() {
					Database db = new Database("h2:mem:///probe_" + System.nanoTime());
					String insert = "INSERT INTO notes(text, completed) VALUES (:text, :completed)";
					try {
						return db.connect()
							.then(db.execute("CREATE TABLE notes (id INTEGER AUTO_INCREMENT PRIMARY KEY, "
									+ "text VARCHAR(100), completed BOOLEAN)"))
							.then(db.execute(Query.of(insert, Map.of("text", "example1", "completed", true))))
							.then(db.executeMany(insert, List.of(Map.of("text", "example2", "completed", false))))
							.then(db.transaction((tx) -> tx.connection()
								.execute("UPDATE notes SET completed = :c WHERE text = :t", Map.of("c", true, "t", "example2"))))
							.then(db.fetchAll(Query.of("SELECT * FROM notes ORDER BY id")))
							.flatMap((rows) -> db.iterate("SELECT text FROM notes").count()
								.flatMap((streamed) -> db.fetchVal("SELECT COUNT(*) FROM notes WHERE completed = :c",
										Map.of("c", true), Long.class)
									.map((completed) -> List.of(rows.stream().map((Record row) -> row.get("text", String.class))
										.toList(), streamed, completed))))
							.block(Duration.ofSeconds(30));
					}
					finally {
						db.disconnect().block(Duration.ofSeconds(30));
					}
				}

			}
			""";

	@TempDir
	Path work;

	@Test
	void databaseShouldCompileAndRunWithoutTheQueryBuilderLibraries() throws Exception {
		List<Path> classpath = classpathWithoutBuilders();
		assertThat(classpath).anyMatch((entry) -> slashes(entry).endsWith("databases-core/target/classes"));
		assertThat(classpath).anyMatch((entry) -> slashes(entry).contains("/io/r2dbc/r2dbc-h2/"));
		Path classes = compile(classpath);
		List<URL> urls = new ArrayList<>();
		for (Path entry : classpath) {
			urls.add(entry.toUri().toURL());
		}
		urls.add(classes.toUri().toURL());
		Thread thread = Thread.currentThread();
		ClassLoader previous = thread.getContextClassLoader();
		try (URLClassLoader loader = new URLClassLoader(urls.toArray(new URL[0]), ClassLoader.getPlatformClassLoader())) {
			thread.setContextClassLoader(loader);
			assertThatExceptionOfType(ClassNotFoundException.class)
				.isThrownBy(() -> Class.forName("org.jooq.Query", false, loader));
			assertThatExceptionOfType(ClassNotFoundException.class)
				.isThrownBy(() -> Class.forName("org.springframework.data.relational.core.sql.Select", false, loader));
			// Resolving every public signature fails with NoClassDefFoundError if one names a missing type.
			for (String name : List.of("dev.databases.Database", "dev.databases.Record", "dev.databases.Connection",
					"dev.databases.Transaction", "dev.databases.Query")) {
				Class<?> type = Class.forName(name, true, loader);
				assertThat(type.getClassLoader()).isSameAs(loader);
				assertThat(type.getMethods()).isNotEmpty();
				type.getConstructors();
			}
			Supplier<?> app = (Supplier<?>) loader.loadClass("probe.App").getConstructor().newInstance();
			assertThat(app.get()).isEqualTo(List.of(List.of("example1", "example2"), 2L, 2L));
		}
		finally {
			thread.setContextClassLoader(previous);
		}
	}

	/** This module's test classpath without the builders' jars, Spring's, or the test classes. */
	private static List<Path> classpathWithoutBuilders() {
		String classpath = System.getProperty("java.class.path", "");
		if (!classpath.contains("databases-core")) {
			// Surefire's manifest-only jar: the real classpath is in its own property.
			classpath = System.getProperty("surefire.test.class.path", classpath);
		}
		List<Path> entries = new ArrayList<>();
		for (String entry : classpath.split(File.pathSeparator)) {
			if (entry.isBlank()) {
				continue;
			}
			String path = slashes(Path.of(entry)).toLowerCase(Locale.ROOT);
			if (path.contains("/org/jooq/") || path.contains("/org/springframework/")
					|| path.endsWith("/target/test-classes")) {
				continue;
			}
			entries.add(Path.of(entry));
		}
		return entries;
	}

	private Path compile(List<Path> classpath) throws Exception {
		Path source = this.work.resolve("src/probe/App.java");
		Files.createDirectories(source.getParent());
		Files.writeString(source, APP);
		Path classes = Files.createDirectories(this.work.resolve("classes"));
		JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
		DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
		try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT, null)) {
			List<String> options = List.of("--release", "17", "-proc:none", "-d", classes.toString(), "-classpath",
					classpath.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator)));
			boolean compiled = javac.getTask(null, files, diagnostics, options, null, files.getJavaFileObjects(source))
				.call();
			String errors = diagnostics.getDiagnostics()
				.stream()
				.filter((diagnostic) -> diagnostic.getKind() == Diagnostic.Kind.ERROR)
				.map((diagnostic) -> diagnostic.getMessage(Locale.ROOT))
				.collect(Collectors.joining("\n"));
			assertThat(compiled).as(errors).isTrue();
		}
		return classes;
	}

	private static String slashes(Path path) {
		return path.toAbsolutePath().toString().replace('\\', '/');
	}

}
