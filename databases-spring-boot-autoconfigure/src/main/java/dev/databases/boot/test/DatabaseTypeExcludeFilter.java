package dev.databases.boot.test;

import org.springframework.boot.test.context.filter.annotation.StandardAnnotationCustomizableTypeExcludeFilter;

/**
 * Component-scan filter for {@link DatabaseTest @DatabaseTest}: includes nothing by
 * default, only what the test's {@code includeFilters} name.
 */
class DatabaseTypeExcludeFilter extends StandardAnnotationCustomizableTypeExcludeFilter<DatabaseTest> {

	DatabaseTypeExcludeFilter(Class<?> testClass) {
		super(testClass);
	}

}
