package dev.databases.boot.flyway;

import java.util.Set;

import org.springframework.boot.sql.init.dependency.AbstractBeansOfTypeDatabaseInitializerDetector;
import org.springframework.boot.sql.init.dependency.DatabaseInitializerDetector;

/**
 * A {@link DatabaseInitializerDetector} for {@link DatabaseMigrations}, so that beans marked
 * {@code @DependsOnDatabaseInitialization} wait for the migrations.
 */
class DatabaseMigrationsDatabaseInitializerDetector extends AbstractBeansOfTypeDatabaseInitializerDetector {

	@Override
	protected Set<Class<?>> getDatabaseInitializerBeanTypes() {
		return Set.of(DatabaseMigrations.class);
	}

}
