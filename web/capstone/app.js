// The capstone page: plain JavaScript, no build step. Lists users (GET /users) and adds one
// (POST /users) through the course's REST API.
const api = window.COURSE_API_URL;
const statusLine = document.getElementById("status");
document.getElementById("api").textContent = api || "(not configured: config.js did not set COURSE_API_URL)";

function say(text, isError) {
  statusLine.textContent = text;
  statusLine.className = isError ? "error" : "";
}

async function loadUsers() {
  const response = await fetch(`${api}/users`);
  if (!response.ok) throw new Error(`GET /users answered ${response.status}`);
  const users = await response.json();
  users.sort((a, b) => Number(a.id) - Number(b.id));
  const rows = users.map((u) => {
    const tr = document.createElement("tr");
    for (const value of [u.id, u.name, u.email]) {
      const td = document.createElement("td");
      td.textContent = value;
      tr.appendChild(td);
    }
    return tr;
  });
  document.getElementById("users").replaceChildren(...rows);
  document.body.dataset.loaded = String(users.length);
  return users;
}

document.getElementById("add").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.target;
  const user = { id: Number(form.id.value), name: form.name.value, email: form.email.value };
  try {
    const response = await fetch(`${api}/users`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(user),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`POST /users answered ${response.status}: ${text}`);
    say(`Added user ${user.id}.`);
    form.reset();
    await loadUsers();
  } catch (error) {
    say(error.message, true);
  }
});

loadUsers().then(
  (users) => say(`${users.length} users loaded.`),
  (error) => say(`Could not load users: ${error.message}`, true),
);
