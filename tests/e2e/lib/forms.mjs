// Filling in the app's forms as a person would, so its input and change handlers run.

/** Replaces a field's text; an empty value clears it and tells the field. */
export async function typeInto(s, testid, value) {
  const field = await s.testid(testid);
  await field.clearValue();
  if (value) await field.setValue(value);
  else
    await s.browser.execute(
      (id) => document.querySelector(`[data-testid="${id}"]`).dispatchEvent(new Event("input", { bubbles: true })),
      testid,
    );
}

/** Chooses an option of a `<select>` by its value. */
export async function select(s, testid, value) {
  await s.browser.execute(
    (id, v) => {
      const el = document.querySelector(`[data-testid="${id}"]`);
      el.value = v;
      el.dispatchEvent(new Event("change", { bubbles: true }));
    },
    testid,
    value,
  );
}
