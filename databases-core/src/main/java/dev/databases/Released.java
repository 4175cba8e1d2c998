package dev.databases;

import dev.databases.internal.reactor.PassThroughSubscriber;

import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;

/**
 * A release: {@code connection.settled().then(close)}, without the wait when no cleanup
 * is pending as it is subscribed, and its end in one operator instead of {@code onErrorResume(empty)},
 * {@code then(fromRunnable(returned))} and {@code doOnCancel(returned)}: an error of
 * the close is dropped, the bookkeeping ({@link Lender#returned}) runs before completion is
 * signalled, and a cancel does the bookkeeping before it travels up.
 */
final class Released extends Mono<Void> {

	private final Lender lender;

	private final Connection connection;

	private final Mono<Void> close;

	Released(Lender lender, Connection connection, Mono<Void> close) {
		this.lender = lender;
		this.connection = connection;
		this.close = close;
	}

	@Override
	public void subscribe(CoreSubscriber<? super Void> actual) {
		// As connection.settled().then(close): the pending cleanup is read at subscription.
		Mono<Void> settling = this.connection.settling();
		Mono<Void> source = (settling == ConnectionLease.NOTHING_TO_SETTLE) ? this.close : settling.then(this.close);
		source.subscribe(new ReleasedSubscriber(actual, this.lender, this.connection));
	}

	private static final class ReleasedSubscriber extends PassThroughSubscriber<Void, Void> {

		private final Lender lender;

		private final Connection connection;

		ReleasedSubscriber(CoreSubscriber<? super Void> actual, Lender lender, Connection connection) {
			super(actual);
			this.lender = lender;
			this.connection = connection;
		}

		@Override
		public void onNext(Void value) {
		}

		@Override
		public void onError(Throwable error) {
			onComplete();
		}

		@Override
		public void onComplete() {
			try {
				this.lender.returned(this.connection);
			}
			catch (Throwable ex) {
				this.actual.onError(Operators.onOperatorError(ex, currentContext()));
				return;
			}
			this.actual.onComplete();
		}

		@Override
		public void cancel() {
			this.lender.returned(this.connection);
			cancelUpstream();
		}

	}

}
