// Firebase phone sign-in for production servers. The SDK is loaded only when the sign-in page
// offers it (dynamic import: it stays out of the first page's budget) and keeps its user in memory
// only: the console exchanges the ID token for the API's own session and signs Firebase out.
let loaded = null;

function firebaseAuth(config) {
  loaded ??= Promise.all([import('firebase/app'), import('firebase/auth')]).then(([app, sdk]) => {
    const { apiKey, authDomain, projectId } = config;
    const auth = sdk.initializeAuth(app.initializeApp({ apiKey, authDomain, projectId }, 'console'), {
      persistence: sdk.inMemoryPersistence,
    });
    if (config.authEmulatorUrl) {
      // Development and tests: the Auth emulator, which sends no SMS and needs no reCAPTCHA.
      sdk.connectAuthEmulator(auth, config.authEmulatorUrl, { disableWarnings: true });
      auth.settings.appVerificationDisabledForTesting = true;
    }
    return { auth, sdk };
  });
  return loaded;
}

/**
 * Sends the SMS code to `phone` (reCAPTCHA, invisible, in `container`); resolves with a function
 * that takes the code and resolves with the Firebase ID token.
 */
export async function sendCode(config, phone, container, language) {
  const { auth, sdk } = await firebaseAuth(config);
  auth.languageCode = language;
  const verifier = new sdk.RecaptchaVerifier(auth, container, { size: 'invisible' });
  try {
    const confirmation = await sdk.signInWithPhoneNumber(auth, phone, verifier);
    return async (code) => {
      const { user } = await confirmation.confirm(code);
      const idToken = await user.getIdToken();
      await sdk.signOut(auth);
      return idToken;
    };
  } finally {
    verifier.clear();
  }
}
