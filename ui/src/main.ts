// Entry point: wires the app to the Tauri shell.

import "@fontsource-variable/inter";
import "@fontsource-variable/jetbrains-mono";
import "./styles.css";

import { App } from "./app";
import { TauriBackend } from "./backend";

const mount = document.getElementById("app")!;
void new App(mount, new TauriBackend()).start();
