// After django-otp-webauthn's script has saved the new passkey, show the
// security page: it lists the passkey and, the first time, the recovery codes.
document.addEventListener("otp_webauthn.register_complete", () => {
  const enrol = document.getElementById("passkey-enrol");
  window.location.assign(enrol.dataset.doneUrl);
});
