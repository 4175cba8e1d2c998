package dev.databases.boot.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.autoconfigure.OverrideAutoConfiguration;
import org.springframework.boot.test.context.filter.annotation.TypeExcludeFilters;
import org.springframework.context.annotation.ComponentScan.Filter;
import org.springframework.core.annotation.AliasFor;
import org.springframework.core.env.Environment;
import org.springframework.test.context.BootstrapWith;
import org.springframework.test.context.junit.jupiter.SpringExtension;

/**
 * A test of the database layer: only the databases auto-configuration is loaded (the
 * {@code Database} bean, its lifecycle and {@code ConnectionFactory}, and Flyway
 * migrations), component scanning finds no beans unless filters add them, and the database
 * runs in force-rollback mode: everything a test method writes is rolled back after it, so
 * each test sees the database as the migrations left it, also when Spring's context cache
 * shares the context between test classes.
 * <pre class="code">
 * &#64;DatabaseTest(properties = "databases.url=h2:mem:///notes")
 * class NotesTests {
 *
 *     &#64;Autowired
 *     Database db;
 *
 *     &#64;Test
 *     void insertShouldAddOneRow() {
 *         db.execute("INSERT INTO notes(text) VALUES (:text)", Map.of("text", "a")).block();
 *         assertThat(db.fetchVal("SELECT COUNT(*) FROM notes", Long.class).block()).isEqualTo(1);
 *     }
 *
 * }
 * </pre>
 * Works with Testcontainers {@code @ServiceConnection} containers (PostgreSQL, MySQL,
 * MariaDB). Writes made through a connection that is not the Database's own (a second
 * {@code Database} built in the test, or JDBC) are not rolled back, and neither is work
 * after a statement that commits by itself (DDL on MySQL).
 * <p>
 * When using JUnit 4, this annotation should be used in combination with
 * {@code @RunWith(SpringRunner.class)}.
 *
 * @since 0.1.0
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@BootstrapWith(DatabaseTestContextBootstrapper.class)
@ExtendWith(SpringExtension.class)
@OverrideAutoConfiguration(enabled = false)
@TypeExcludeFilters(DatabaseTypeExcludeFilter.class)
@AutoConfigureDatabase
@ImportAutoConfiguration
public @interface DatabaseTest {

	/**
	 * Properties in form {@literal key=value} that should be added to the Spring
	 * {@link Environment} before the test runs, e.g. {@code databases.url=...}.
	 * @return the properties to add
	 */
	String[] properties() default {};

	/**
	 * Determines if default filtering should be used with
	 * {@code @SpringBootApplication}. By default no beans are included.
	 * @see #includeFilters()
	 * @see #excludeFilters()
	 * @return if default filters should be used
	 */
	boolean useDefaultFilters() default true;

	/**
	 * A set of include filters which can be used to add otherwise filtered beans to the
	 * application context, such as the repositories under test.
	 * @return include filters to apply
	 */
	Filter[] includeFilters() default {};

	/**
	 * A set of exclude filters which can be used to filter beans that would otherwise be
	 * added to the application context.
	 * @return exclude filters to apply
	 */
	Filter[] excludeFilters() default {};

	/**
	 * Auto-configuration exclusions that should be applied for this test.
	 * @return auto-configuration exclusions to apply
	 */
	@AliasFor(annotation = ImportAutoConfiguration.class, attribute = "exclude")
	Class<?>[] excludeAutoConfiguration() default {};

}
