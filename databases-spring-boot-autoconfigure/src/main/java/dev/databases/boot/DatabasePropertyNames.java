package dev.databases.boot;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName.Form;

/**
 * The names {@link DatabaseProperties} binds, read from its record components, so that a
 * misspelt {@code databases.*} key can be answered with the closest known ones. Nested
 * records are groups, maps ({@code databases.options.*}) take any key, and lists of records
 * (a future {@code databases.replicas[0].pool.*}) are followed through their index, so new
 * properties are known as soon as they are declared.
 */
final class DatabasePropertyNames {

	/** Farther than this (in edits, on the lower-case name without dashes), a name is no suggestion. */
	private static final int MAX_DISTANCE = 3;

	private static final DatabasePropertyNames DATABASES = new DatabasePropertyNames("databases",
			Node.of(DatabaseProperties.class));

	private final ConfigurationPropertyName prefix;

	private final Node root;

	private DatabasePropertyNames(String prefix, Node root) {
		this.prefix = ConfigurationPropertyName.of(prefix);
		this.root = root;
	}

	static DatabasePropertyNames databases() {
		return DATABASES;
	}

	/**
	 * The names a properties record binds under a prefix.
	 * @param prefix the prefix, such as {@code databases}
	 * @param properties the record bound there
	 * @return the names
	 */
	static DatabasePropertyNames of(String prefix, Class<? extends Record> properties) {
		return new DatabasePropertyNames(prefix, Node.of(properties));
	}

	/**
	 * Whether a name is below the prefix.
	 * @param name the name
	 * @return whether it is
	 */
	boolean covers(ConfigurationPropertyName name) {
		return this.prefix.isAncestorOf(name);
	}

	/**
	 * Whether something binds {@code name}: each element is a known group or property, an
	 * index where a list is, or any key under a map.
	 * @param name a name under the prefix
	 * @return whether it is known
	 */
	boolean knows(ConfigurationPropertyName name) {
		Node node = this.root;
		for (int i = this.prefix.getNumberOfElements(); i < name.getNumberOfElements(); i++) {
			if (node.anyKey) {
				return true;
			}
			Node next = (node.element != null) ? (name.isNumericIndex(i) ? node.element : null)
					: node.children.get(name.getElement(i, Form.UNIFORM));
			if (next == null) {
				return false;
			}
			node = next;
		}
		return true;
	}

	/**
	 * The known names closest to an unknown one, best first. The walk stops at the first
	 * element that is not known and ranks its siblings; the rest of the name is kept when
	 * the suggestion is a group.
	 * @param unknown a name under the prefix that nothing binds
	 * @return at most three names, empty when none is close
	 */
	List<String> suggestions(ConfigurationPropertyName unknown) {
		Node node = this.root;
		StringBuilder path = new StringBuilder(this.prefix.toString());
		for (int i = this.prefix.getNumberOfElements(); i < unknown.getNumberOfElements(); i++) {
			if (node.anyKey) {
				return List.of();
			}
			if (node.element != null) {
				if (!unknown.isNumericIndex(i)) {
					return List.of();
				}
				path.append('[').append(unknown.getElement(i, Form.ORIGINAL)).append(']');
				node = node.element;
				continue;
			}
			String element = unknown.getElement(i, Form.UNIFORM);
			Node child = node.children.get(element);
			if (child != null) {
				path.append('.').append(child.name);
				node = child;
				continue;
			}
			String rest = rest(unknown, i + 1);
			List<String> suggestions = new ArrayList<>();
			for (Node candidate : closest(node, element)) {
				boolean group = !candidate.children.isEmpty() || candidate.element != null || candidate.anyKey;
				suggestions.add(path + "." + candidate.name + (group ? rest : ""));
			}
			return suggestions;
		}
		return List.of();
	}

	/**
	 * The known names directly under the group where an unknown name leaves the known
	 * ones, for a report that has no close suggestion.
	 * @param unknown the unknown name
	 * @return the group's dashed names
	 */
	List<String> siblings(ConfigurationPropertyName unknown) {
		Node node = this.root;
		for (int i = this.prefix.getNumberOfElements(); i < unknown.getNumberOfElements(); i++) {
			Node next = (node.element != null) ? node.element : node.children.get(unknown.getElement(i, Form.UNIFORM));
			if (next == null) {
				break;
			}
			node = next;
		}
		return node.children.values().stream().map((child) -> child.name).toList();
	}

	private static String rest(ConfigurationPropertyName name, int from) {
		StringBuilder rest = new StringBuilder();
		for (int i = from; i < name.getNumberOfElements(); i++) {
			String element = name.getElement(i, Form.DASHED);
			rest.append(name.isNumericIndex(i) ? "[" + element + "]" : "." + element);
		}
		return rest.toString();
	}

	private static List<Node> closest(Node group, String element) {
		Comparator<Node> byDistance = Comparator.comparingInt((node) -> distance(node.uniform, element));
		List<Node> ranked = group.children.values().stream().sorted(byDistance).toList();
		if (ranked.isEmpty()) {
			return List.of();
		}
		int best = distance(ranked.get(0).uniform, element);
		// Only the nearest (ties kept) are worth naming; a name the key starts or ends is as near.
		return ranked.stream()
			.filter((node) -> {
				int distance = distance(node.uniform, element);
				return (distance <= MAX_DISTANCE && distance == best)
						|| (element.length() > 2 && node.uniform.startsWith(element));
			})
			.limit(3)
			.toList();
	}

	/** Levenshtein distance. */
	static int distance(String a, String b) {
		int[] previous = new int[b.length() + 1];
		int[] current = new int[b.length() + 1];
		for (int j = 0; j <= b.length(); j++) {
			previous[j] = j;
		}
		for (int i = 1; i <= a.length(); i++) {
			current[0] = i;
			for (int j = 1; j <= b.length(); j++) {
				int substitution = previous[j - 1] + ((a.charAt(i - 1) == b.charAt(j - 1)) ? 0 : 1);
				current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
			}
			int[] swap = previous;
			previous = current;
			current = swap;
		}
		return previous[b.length()];
	}

	/**
	 * One name in the tree: a group (a record), a list of groups, a map or a value.
	 */
	private static final class Node {

		private final String name;

		private final String uniform;

		private final Map<String, Node> children = new LinkedHashMap<>();

		private boolean anyKey;

		private @Nullable Node element;

		private Node(String name) {
			this.name = name;
			this.uniform = name.replace("-", "");
		}

		static Node of(Class<?> record) {
			Node root = new Node("");
			root.addComponents(record);
			return root;
		}

		private void addComponents(Class<?> record) {
			for (RecordComponent component : record.getRecordComponents()) {
				Node child = new Node(dashed(component.getName()));
				child.describe(component.getType(), component.getGenericType());
				this.children.put(child.uniform, child);
			}
		}

		private void describe(Class<?> type, Type genericType) {
			if (type.isRecord()) {
				addComponents(type);
			}
			else if (Map.class.isAssignableFrom(type)) {
				this.anyKey = true;
			}
			else if (Collection.class.isAssignableFrom(type) && genericType instanceof ParameterizedType parameterized
					&& parameterized.getActualTypeArguments()[0] instanceof Class<?> elementType
					&& elementType.isRecord()) {
				Node element = new Node("");
				element.addComponents(elementType);
				this.element = element;
			}
		}

		private static String dashed(String camelCase) {
			StringBuilder dashed = new StringBuilder();
			for (char c : camelCase.toCharArray()) {
				if (Character.isUpperCase(c)) {
					dashed.append('-');
				}
				dashed.append(Character.toLowerCase(c));
			}
			return dashed.toString().toLowerCase(Locale.ROOT);
		}

	}

}
