package dev.databases.relational;

import org.springframework.data.relational.core.dialect.AbstractDialect;
import org.springframework.data.relational.core.dialect.InsertRenderContext;
import org.springframework.data.relational.core.dialect.InsertRenderContexts;
import org.springframework.data.relational.core.dialect.LimitClause;
import org.springframework.data.relational.core.dialect.LockClause;
import org.springframework.data.relational.core.sql.IdentifierProcessing;
import org.springframework.data.relational.core.sql.IdentifierProcessing.LetterCasing;
import org.springframework.data.relational.core.sql.IdentifierProcessing.Quoting;
import org.springframework.data.relational.core.sql.LockOptions;

/**
 * SQLite for Spring Data Relational, which has no dialect of its own for it. The ANSI dialect
 * comes closest but renders {@code FETCH FIRST}, {@code FOR UPDATE} and
 * {@code VALUES (DEFAULT)}, none of which SQLite accepts.
 */
final class SqliteDialect extends AbstractDialect {

	static final SqliteDialect INSTANCE = new SqliteDialect();

	private static final IdentifierProcessing IDENTIFIERS = IdentifierProcessing.create(Quoting.ANSI,
			LetterCasing.AS_IS);

	private static final LimitClause LIMIT = new LimitClause() {

		@Override
		public String getLimit(long limit) {
			return "LIMIT " + limit;
		}

		@Override
		public String getOffset(long offset) {
			// SQLite has no OFFSET without LIMIT; a negative limit means no limit.
			return "LIMIT -1 OFFSET " + offset;
		}

		@Override
		public String getLimitOffset(long limit, long offset) {
			return "LIMIT " + limit + " OFFSET " + offset;
		}

		@Override
		public Position getClausePosition() {
			return Position.AFTER_ORDER_BY;
		}

	};

	private static final LockClause LOCK = new LockClause() {

		@Override
		public String getLock(LockOptions lockOptions) {
			// SQLite locks the whole database for a writer and has no row locks to ask for.
			return "";
		}

		@Override
		public Position getClausePosition() {
			return Position.AFTER_ORDER_BY;
		}

	};

	private SqliteDialect() {
	}

	@Override
	public LimitClause limit() {
		return LIMIT;
	}

	@Override
	public LockClause lock() {
		return LOCK;
	}

	@Override
	public IdentifierProcessing getIdentifierProcessing() {
		return IDENTIFIERS;
	}

	@Override
	public InsertRenderContext getInsertRenderContext() {
		// " DEFAULT VALUES" is standard SQL; only the constant's name says SQL Server.
		return InsertRenderContexts.MS_SQL_SERVER;
	}

}
