package dev.databases.boot.test;

import org.springframework.boot.test.autoconfigure.TestSliceTestContextBootstrapper;
import org.springframework.test.context.TestContextBootstrapper;

/**
 * {@link TestContextBootstrapper} for {@link DatabaseTest @DatabaseTest}: reads its
 * {@code properties}.
 */
class DatabaseTestContextBootstrapper extends TestSliceTestContextBootstrapper<DatabaseTest> {

}
