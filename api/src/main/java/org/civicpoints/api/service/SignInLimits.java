package org.civicpoints.api.service;

import java.time.Clock;

/** Rate limits of the auth endpoints: per client IP, and per phone number when one is known. */
public final class SignInLimits {

  private final RateLimiter perIp;
  private final RateLimiter perPhone;

  public SignInLimits(int perIpPerMinute, int perPhonePerMinute, Clock clock) {
    this.perIp = new RateLimiter(perIpPerMinute, clock);
    this.perPhone = new RateLimiter(perPhonePerMinute, clock);
  }

  public void perIp(String clientIp) {
    perIp.acquire(clientIp);
  }

  public void perPhone(String phone) {
    perPhone.acquire(phone);
  }
}
