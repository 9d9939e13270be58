package org.civicpoints.api.config;

/** Where the API runs: dev starts embedded parts and offers dev sign-in; prod never does. */
public enum CivicEnv {
  DEV,
  PROD
}
