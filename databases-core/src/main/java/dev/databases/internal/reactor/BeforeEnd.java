package dev.databases.internal.reactor;

import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;

/**
 * {@code source.doOnTerminate(action).doOnCancel(action)} as one operator: {@code action}
 * runs before the end (completion, error) goes on, and before a cancel travels up. Used
 * where bookkeeping must be done before the caller's next step, which follows at once (not
 * in doFinally, which runs after it), and paid on every end of a transaction.
 */
public final class BeforeEnd<T> extends Mono<T> {

	private final Mono<T> source;

	private final Runnable action;

	private BeforeEnd(Mono<T> source, Runnable action) {
		this.source = source;
		this.action = action;
	}

	/**
	 * {@code source}, running {@code action} as it ends or is cancelled.
	 * @param <T> the value type
	 * @param source the source
	 * @param action what to run first
	 * @return the source with the action
	 */
	public static <T> Mono<T> of(Mono<T> source, Runnable action) {
		return new BeforeEnd<>(source, action);
	}

	@Override
	public void subscribe(CoreSubscriber<? super T> actual) {
		this.source.subscribe(new BeforeEndSubscriber<>(actual, this.action));
	}

	private static final class BeforeEndSubscriber<T> extends PassThroughSubscriber<T, T> {

		private final Runnable action;

		BeforeEndSubscriber(CoreSubscriber<? super T> actual, Runnable action) {
			super(actual);
			this.action = action;
		}

		@Override
		public void onNext(T value) {
			this.actual.onNext(value);
		}

		@Override
		public void onError(Throwable error) {
			try {
				this.action.run();
			}
			catch (Throwable ex) {
				error = Operators.onOperatorError(null, ex, error, currentContext());
			}
			this.actual.onError(error);
		}

		@Override
		public void onComplete() {
			try {
				this.action.run();
			}
			catch (Throwable ex) {
				this.actual.onError(Operators.onOperatorError(ex, currentContext()));
				return;
			}
			this.actual.onComplete();
		}

		@Override
		public void cancel() {
			try {
				this.action.run();
			}
			catch (Throwable ex) {
				Operators.onErrorDropped(ex, currentContext());
			}
			cancelUpstream();
		}

	}

}
