package org.opencallback.callback.admission;

import org.opencallback.config.ServiceConfig;

/** How a service checks and normalises {@code _customer_number}. Implementations are thread-safe. */
public interface CustomerNumbers {
  /** Takes numbers as given (trimmed), refusing nothing. */
  CustomerNumbers AS_GIVEN =
      new CustomerNumbers() {
        @Override
        public String admit(ServiceConfig service, String number) {
          return number.trim();
        }

        @Override
        public String lookupForm(ServiceConfig service, String number) {
          return number.trim();
        }
      };

  /** The number to store, or a refusal (40040, {@code CallbackExceptionNumber}). */
  String admit(ServiceConfig service, String number);

  /** The stored form of a number given in a query, never refusing. */
  String lookupForm(ServiceConfig service, String number);
}
