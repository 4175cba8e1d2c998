package dev.databases.boot.aot;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.BindingReflectionHintsRegistrar;
import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.beans.factory.annotation.AnnotatedBeanDefinition;
import org.springframework.beans.factory.aot.BeanFactoryInitializationAotContribution;
import org.springframework.beans.factory.aot.BeanFactoryInitializationAotProcessor;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfigurationPackages;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

/**
 * At build time, registers the hints that depend on the application: its migration
 * locations ({@code databases.migrations.locations}, else {@code spring.flyway.locations},
 * with {@code {vendor}} expanded for every vendor, since the URL may change at run time) as
 * resources, and the records in its auto-configuration packages (those of
 * {@code @SpringBootApplication}) for the reflection that {@code Database} uses to map rows
 * to them. Types mapped from elsewhere need {@code @RegisterReflectionForBinding}.
 *
 * @since 0.1.0
 */
public class DatabaseAotProcessor implements BeanFactoryInitializationAotProcessor {

	/** The vendors {@code {vendor}} can stand for. */
	static final List<String> VENDORS = List.of("postgresql", "mysql", "mariadb", "h2", "sqlite");

	private static final String CLASSPATH = "classpath:";

	private static final String VENDOR = "{vendor}";

	@Override
	public @Nullable BeanFactoryInitializationAotContribution processAheadOfTime(
			ConfigurableListableBeanFactory beanFactory) {
		Environment environment = beanFactory.getBean(Environment.class);
		Set<String> patterns = migrationPatterns(environment);
		List<Class<?>> records = records(beanFactory);
		return (generationContext, code) -> register(generationContext.getRuntimeHints(), patterns, records);
	}

	static void register(RuntimeHints hints, Set<String> patterns, List<Class<?>> records) {
		patterns.forEach(hints.resources()::registerPattern);
		BindingReflectionHintsRegistrar binding = new BindingReflectionHintsRegistrar();
		for (Class<?> record : records) {
			binding.registerReflectionHints(hints.reflection(), record);
			// RowMapper calls the canonical constructor, which may be package-private.
			hints.reflection().registerType(record, MemberCategory.INVOKE_DECLARED_CONSTRUCTORS);
		}
	}

	/** Resource patterns for the classpath locations; file-system ones need no hint. */
	static Set<String> migrationPatterns(Environment environment) {
		Binder binder = Binder.get(environment);
		Bindable<List<String>> list = Bindable.listOf(String.class);
		List<String> locations = binder.bind("databases.migrations.locations", list)
			.orElseGet(() -> binder.bind("spring.flyway.locations", list).orElse(List.of(CLASSPATH + "db/migration")));
		Set<String> patterns = new LinkedHashSet<>();
		for (String location : locations) {
			// Flyway reads a location without a prefix as a classpath one.
			boolean classpath = location.startsWith(CLASSPATH) || !location.contains(":");
			if (!classpath) {
				continue;
			}
			String path = (location.startsWith(CLASSPATH) ? location.substring(CLASSPATH.length()) : location)
				.replaceAll("^/+", "")
				.replaceAll("/+$", "");
			List<String> folders = path.contains(VENDOR)
					? VENDORS.stream().map((vendor) -> path.replace(VENDOR, vendor)).toList() : List.of(path);
			folders.forEach((folder) -> patterns.add(folder + "/**"));
		}
		return patterns;
	}

	private static List<Class<?>> records(ConfigurableListableBeanFactory beanFactory) {
		if (!AutoConfigurationPackages.has(beanFactory)) {
			return List.of();
		}
		ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false) {

			@Override
			protected boolean isCandidateComponent(AnnotatedBeanDefinition definition) {
				return definition.getMetadata().isIndependent();
			}

		};
		scanner.addIncludeFilter(
				(reader, factory) -> "java.lang.Record".equals(reader.getClassMetadata().getSuperClassName()));
		ClassLoader classLoader = (beanFactory.getBeanClassLoader() != null) ? beanFactory.getBeanClassLoader()
				: ClassUtils.getDefaultClassLoader();
		List<Class<?>> records = new ArrayList<>();
		for (String basePackage : AutoConfigurationPackages.get(beanFactory)) {
			for (BeanDefinition candidate : scanner.findCandidateComponents(basePackage)) {
				String name = candidate.getBeanClassName();
				if (name != null && ClassUtils.isPresent(name, classLoader)) {
					records.add(ClassUtils.resolveClassName(name, classLoader));
				}
			}
		}
		return records;
	}

}
