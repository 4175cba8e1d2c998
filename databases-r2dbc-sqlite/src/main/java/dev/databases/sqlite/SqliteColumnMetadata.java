package dev.databases.sqlite;

import io.r2dbc.spi.ColumnMetadata;
import io.r2dbc.spi.Nullability;
import io.r2dbc.spi.Type;

/**
 * A result column: its name (the alias, when the query gives one), its declared type and
 * the affinity SQLite derives from it. For an expression SQLite declares no type, so the
 * storage class of the first row's value stands in.
 *
 * @author databases
 */
final class SqliteColumnMetadata implements ColumnMetadata {

	private final String name;

	private final String declaredType;

	private final SqliteType type;

	SqliteColumnMetadata(String name, String declaredType) {
		this.name = name;
		this.declaredType = declaredType;
		this.type = SqliteType.ofDeclared(declaredType);
	}

	@Override
	public String getName() {
		return this.name;
	}

	@Override
	public Type getType() {
		return this.type;
	}

	@Override
	public Class<?> getJavaType() {
		return this.type.getJavaType();
	}

	@Override
	public Object getNativeTypeMetadata() {
		return this.declaredType;
	}

	@Override
	public Nullability getNullability() {
		return Nullability.UNKNOWN;
	}

	@Override
	public String toString() {
		return this.name + " " + this.declaredType;
	}

}
