package dev.databases.boot;

import dev.databases.Database;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;

/**
 * The bean name of the one {@link Database}, which the metrics and the observations use as
 * their {@code name} tag. It is read from the bean definitions without creating the
 * Database, since their listeners must exist before it.
 *
 * @since 0.1.0
 */
public final class DatabaseBeanName {

	private DatabaseBeanName() {
	}

	/**
	 * The name of the Database bean: the only one, else the primary one, else
	 * {@code database}.
	 * @param beanFactory the bean factory that defines it
	 * @return the bean name
	 */
	public static String of(ConfigurableListableBeanFactory beanFactory) {
		String[] names = beanFactory.getBeanNamesForType(Database.class, true, false);
		if (names.length == 1) {
			return names[0];
		}
		for (String name : names) {
			if (beanFactory.containsBeanDefinition(name) && beanFactory.getBeanDefinition(name).isPrimary()) {
				return name;
			}
		}
		return "database";
	}

}
