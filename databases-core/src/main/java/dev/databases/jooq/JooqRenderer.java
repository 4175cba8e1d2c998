package dev.databases.jooq;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

import dev.databases.Query;
import org.jooq.Configuration;
import org.jooq.ContextConverter;
import org.jooq.DSLContext;
import org.jooq.EnumType;
import org.jooq.JSON;
import org.jooq.JSONB;
import org.jooq.Param;
import org.jooq.SQLDialect;
import org.jooq.VisitContext;
import org.jooq.VisitListener;
import org.jooq.XML;
import org.jooq.conf.ParamType;
import org.jooq.conf.Settings;
import org.jooq.conf.StatementType;
import org.jooq.impl.DSL;
import org.jooq.impl.DefaultConfiguration;
import org.jooq.types.UByte;
import org.jooq.types.UInteger;
import org.jooq.types.ULong;
import org.jooq.types.UShort;
import org.jspecify.annotations.Nullable;

/**
 * Renders a jOOQ query for a dialect as SQL with {@code :name} parameters and their values.
 * <p>
 * jOOQ renders named parameters as {@code :name} and unnamed ones as {@code :1}, which is
 * not a parameter to our parser. So jOOQ is asked to write a marker that cannot occur in SQL
 * in front of each bind value, and each marker is replaced by {@code :name} for a named
 * parameter or a generated {@code :p1}, {@code :p2}, ... otherwise. Finding markers needs no
 * knowledge of quoting or comments, unlike rewriting {@code ?} or {@code :1} would.
 * <p>
 * A listener records which {@link Param} jOOQ rendered at each bind index, so each value goes
 * through the parameter's converter to the type the database stores, as jOOQ's own binding
 * would do; {@code extractBindValues} gives the values before conversion.
 */
final class JooqRenderer {

	// A private-use character cannot appear in SQL jOOQ writes, except inside a user's string literal.
	private static final String MARK = "\uE000jq";

	private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

	private JooqRenderer() {
	}

	static Query render(org.jooq.Query query, SQLDialect dialect) {
		Configuration base = query.configuration();
		if (base == null) {
			base = new DefaultConfiguration();
		}
		// A copy: the query's own settings (schema mapping, quoting, ...) apply, but are not changed.
		Settings settings = (Settings) base.settings().clone();
		settings.setRenderNamedParamPrefix(MARK);
		settings.setParamType(ParamType.NAMED);
		// Values are bound, as for raw SQL; only values the user inlined stay in the SQL.
		settings.setStatementType(StatementType.PREPARED_STATEMENT);
		ParamRecorder recorder = new ParamRecorder();
		DSLContext dsl = DSL.using(base.derive(dialect).derive(settings).deriveAppending(recorder));
		String sql = dsl.renderNamedParams(query);
		List<@Nullable Object> extracted = dsl.extractBindValues(query);
		return rewrite(sql, recorder.byIndex, extracted);
	}

	private static Query rewrite(String sql, Map<Integer, Param<?>> params, List<@Nullable Object> extracted) {
		List<Integer> starts = new ArrayList<>();
		for (int at = sql.indexOf(MARK); at >= 0; at = sql.indexOf(MARK, at + MARK.length())) {
			starts.add(at);
		}
		int count = starts.size();
		List<@Nullable Param<?>> byPosition = new ArrayList<>(count);
		Set<String> ownNames = new HashSet<>();
		for (int position = 1; position <= count; position++) {
			Param<?> param = params.get(position);
			if (param == null && extracted.size() != count) {
				throw mismatch(count, extracted.size());
			}
			byPosition.add(param);
			String name = nameOf(param);
			if (name != null && NAME.matcher(name).matches()) {
				ownNames.add(name);
			}
		}
		StringBuilder out = new StringBuilder(sql.length());
		Map<String, @Nullable Object> values = new LinkedHashMap<>();
		Map<String, Integer> positionOfName = new HashMap<>();
		int copied = 0;
		for (int i = 0; i < count; i++) {
			int position = i + 1;
			int start = starts.get(i);
			Param<?> param = byPosition.get(i);
			String own = nameOf(param);
			String token = (own != null) ? own : Integer.toString(position);
			if (!sql.startsWith(token, start + MARK.length())) {
				throw new IllegalStateException("jOOQ rendered bind value " + position + " out of order; expected "
						+ ((own != null) ? "parameter '" + own + "'" : "index " + position) + " in: "
						+ sql.replace(MARK, ":"));
			}
			@Nullable Object value = (param != null) ? databaseValue(param) : normalise(extracted.get(i));
			String name = null;
			if (own != null && NAME.matcher(own).matches()) {
				Integer first = positionOfName.putIfAbsent(own, position);
				// The same parameter rendered twice (or two with one name and one value) binds once.
				if (first == null || Objects.equals(values.get(own), value)) {
					name = own;
				}
			}
			if (name == null) {
				name = "p" + position;
				while (ownNames.contains(name) || values.containsKey(name)) {
					name = "_" + name;
				}
			}
			values.put(name, value);
			out.append(sql, copied, start).append(':').append(name);
			copied = start + MARK.length() + token.length();
		}
		out.append(sql, copied, sql.length());
		return Query.of(out.toString(), values);
	}

	private static IllegalStateException mismatch(int rendered, int extracted) {
		return new IllegalStateException("jOOQ rendered " + rendered + " bind values but extracted " + extracted);
	}

	private static @Nullable String nameOf(@Nullable Param<?> param) {
		if (param == null) {
			return null;
		}
		String name = param.getParamName();
		return (name == null || name.isBlank()) ? null : name;
	}

	@SuppressWarnings("unchecked")
	private static @Nullable Object databaseValue(Param<?> param) {
		Object value = param.getValue();
		if (value == null) {
			return null;
		}
		// Converters (forced types, enums mapped to codes, ...) turn the user's value into the stored one.
		ContextConverter<Object, Object> converter = (ContextConverter<Object, Object>) param.getConverter();
		return normalise(converter.to(value));
	}

	/** jOOQ's own value types, and JDBC's, as the types R2DBC drivers bind. */
	private static @Nullable Object normalise(@Nullable Object value) {
		if (value instanceof java.sql.Timestamp timestamp) {
			return timestamp.toLocalDateTime();
		}
		if (value instanceof java.sql.Date date) {
			return date.toLocalDate();
		}
		if (value instanceof java.sql.Time time) {
			return time.toLocalTime();
		}
		if (value instanceof EnumType enumType) {
			return enumType.getLiteral();
		}
		if (value instanceof UByte unsigned) {
			return unsigned.shortValue();
		}
		if (value instanceof UShort unsigned) {
			return unsigned.intValue();
		}
		if (value instanceof UInteger unsigned) {
			return unsigned.longValue();
		}
		if (value instanceof ULong unsigned) {
			return unsigned.toBigInteger();
		}
		if (value instanceof JSON json) {
			return json.data();
		}
		if (value instanceof JSONB json) {
			return json.data();
		}
		if (value instanceof XML xml) {
			return xml.data();
		}
		return value;
	}

	/**
	 * Notes the {@link Param} that rendered each bind value: a parameter visited while the bind
	 * index moved by one wrote that index's marker. Inlined parameters do not move it.
	 */
	private static final class ParamRecorder implements VisitListener {

		private final Map<Integer, Param<?>> byIndex = new HashMap<>();

		private final Deque<Integer> indexAtStart = new ArrayDeque<>();

		@Override
		public void visitStart(VisitContext context) {
			if (context.renderContext() != null) {
				this.indexAtStart.push(context.renderContext().peekIndex());
			}
		}

		@Override
		public void visitEnd(VisitContext context) {
			if (context.renderContext() == null) {
				return;
			}
			int start = this.indexAtStart.pop();
			if (context.queryPart() instanceof Param<?> param && context.renderContext().peekIndex() == start + 1) {
				this.byIndex.put(start, param);
			}
		}

	}

}
