package dev.databases.sqlite;

import java.nio.ByteBuffer;
import java.util.Locale;

import io.r2dbc.spi.Type;
import org.jspecify.annotations.Nullable;

/**
 * SQLite's column affinities, derived from a declared type by SQLite's own rules
 * (section 3.1 of "Datatypes In SQLite"). The Java type is what {@code Row.get(int)}
 * returns for values stored with that affinity.
 *
 * @author databases
 */
enum SqliteType implements Type {

	INTEGER(Long.class), REAL(Double.class), TEXT(String.class), BLOB(ByteBuffer.class), NUMERIC(Object.class);

	private final Class<?> javaType;

	SqliteType(Class<?> javaType) {
		this.javaType = javaType;
	}

	@Override
	public Class<?> getJavaType() {
		return this.javaType;
	}

	@Override
	public String getName() {
		return name();
	}

	static SqliteType ofDeclared(@Nullable String declared) {
		if (declared == null || declared.isBlank()) {
			return BLOB;
		}
		String type = declared.toUpperCase(Locale.ROOT);
		if (type.contains("INT")) {
			return INTEGER;
		}
		if (type.contains("CHAR") || type.contains("CLOB") || type.contains("TEXT")) {
			return TEXT;
		}
		if (type.contains("BLOB")) {
			return BLOB;
		}
		if (type.contains("REAL") || type.contains("FLOA") || type.contains("DOUB")) {
			return REAL;
		}
		return NUMERIC;
	}

}
