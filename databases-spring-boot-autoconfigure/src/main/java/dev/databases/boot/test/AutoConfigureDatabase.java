package dev.databases.boot.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.context.PropertyMapping;

/**
 * Imports the databases auto-configuration (the {@code Database}, its lifecycle and
 * {@code ConnectionFactory}, and Flyway migrations) into a test, with force-rollback on.
 * Use {@link DatabaseTest @DatabaseTest} for a test of the database layer alone; add this
 * annotation to another slice that needs the database.
 * <p>
 * The auto-configurations are listed in
 * {@code META-INF/spring/dev.databases.boot.test.AutoConfigureDatabase.imports}.
 *
 * @since 0.1.0
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ImportAutoConfiguration
@PropertyMapping("databases")
public @interface AutoConfigureDatabase {

	/**
	 * Whether the database runs in force-rollback mode: one connection in one outer
	 * transaction, rolled back after every test method by
	 * {@link DatabaseTestExecutionListener}. Maps to {@code databases.force-rollback}.
	 * @return whether to roll back
	 */
	boolean forceRollback() default true;

}
