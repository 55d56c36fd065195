// Reference: gradio/app.py@v1.2.0 (the demo's controls, ranges and defaults); spec/surfaces.md §3.2–3.3.
import Foundation
import OpenSora

/// The page at `/`: plain HTML, CSS and JS in the binary (no build step, no CDN) over the same API a program
/// calls. The choices and defaults come from here (the model's generation defaults where it has them, the
/// demo's otherwise), so the page offers what `POST /v1/videos` accepts.
enum WebPage {
    /// The demo's controls: its resolutions and aspect ratios, lengths, and slider ranges (spec/surfaces.md §3.2).
    struct Controls: Encodable {
        let resolutions: [String]
        let aspect_ratios: [String]
        let durations: [String]
        let camera_motions: [String]
        /// Whether the server has an LLM (refinement and random prompts are offered only then, as in the demo).
        let llm: Bool
        let defaults: Defaults
    }

    struct Defaults: Encodable {
        let resolution: String
        let aspect_ratio: String
        let num_frames: Int?
        let fps: Int
        let num_sampling_steps: Int
        let cfg_scale: Float
        let aes: Double
        let aes_enabled: Bool
    }

    static func controls(defaults d: GenerationDefaults?, llm: Bool = false) -> Controls {
        var resolutions = ["144p", "240p", "360p", "480p", "720p"]
        var ratios = ["9:16", "16:9", "3:4", "4:3", "1:1"]
        let resolution = d?.resolution?.rawValue ?? "480p", ratio = d?.aspectRatio?.rawValue ?? "9:16"
        if !resolutions.contains(resolution) { resolutions.insert(resolution, at: 0) }
        if !ratios.contains(ratio) { ratios.insert(ratio, at: 0) }
        return Controls(resolutions: resolutions, aspect_ratios: ratios, durations: ["2s", "4s", "8s", "16s"],
                        camera_motions: CameraMotion.allCases.map(\.rawValue), llm: llm,
                        defaults: Defaults(resolution: resolution, aspect_ratio: ratio, num_frames: d?.numFrames, fps: d?.fps ?? 24,
                                           num_sampling_steps: d?.numSamplingSteps ?? 30, cfg_scale: d?.cfgScale ?? 7,
                                           aes: d?.aes ?? 6.5, aes_enabled: !(d?.aesNone ?? false)))
    }

    static func html(defaults: GenerationDefaults?, llm: Bool = false) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = String(decoding: (try? encoder.encode(controls(defaults: defaults, llm: llm))) ?? Data("{}".utf8), as: UTF8.self)
        // "</" cannot end the script element early: JSON has no other way to spell it.
        return template.replacingOccurrences(of: "{{CONTROLS}}", with: json.replacingOccurrences(of: "</", with: "<\\/"))
    }

    static let template = #"""
    <!doctype html>
    <html lang="en">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>Open-Sora</title>
    <style>
      :root { color-scheme: light dark; --accent: #4b6bfb; }
      * { box-sizing: border-box; }
      body { font: 15px/1.4 system-ui, sans-serif; margin: 0; padding: 12px; max-width: 1100px; margin-inline: auto; }
      h1 { font-size: 1.3em; margin: 4px 0 12px; }
      main { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 16px; }
      @media (max-width: 760px) { main { grid-template-columns: 1fr; } }
      fieldset { border: 1px solid #8884; border-radius: 8px; margin: 0 0 10px; padding: 8px 10px; }
      legend { font-weight: 600; padding: 0 4px; }
      textarea, input[type=password] { width: 100%; font: inherit; padding: 6px; border-radius: 6px; border: 1px solid #8886; }
      .choices { display: flex; flex-wrap: wrap; gap: 4px 12px; }
      .choices label { white-space: nowrap; }
      .slider { display: grid; grid-template-columns: 9em 1fr 4em; align-items: center; gap: 6px; margin: 4px 0; }
      .slider output { text-align: right; font-variant-numeric: tabular-nums; }
      button { font: inherit; padding: 8px 14px; border-radius: 6px; border: 0; background: var(--accent); color: white; cursor: pointer; }
      button.secondary { background: #8884; color: inherit; }
      button:disabled { opacity: .5; cursor: default; }
      progress { width: 100%; height: 14px; }
      video { width: 100%; max-height: 60vh; background: #000; border-radius: 8px; }
      #status { min-height: 1.4em; }
      .error { color: #d33; }
      #gallery { display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); gap: 10px; margin-top: 10px; }
      #gallery figure { margin: 0; font-size: .85em; }
      #gallery video { max-height: 150px; }
      #gallery figcaption { overflow-wrap: anywhere; }
    </style>
    </head>
    <body>
    <h1>Open-Sora</h1>
    <main>
    <form id="form">
      <fieldset><legend>Prompt</legend>
        <textarea id="prompt" name="prompt" rows="4" placeholder="Describe your video here"></textarea>
        <label><input type="checkbox" id="llm_refine"> Refine the prompt with the LLM</label>
        <button type="button" id="random-prompt" class="secondary">Random prompt</button>
      </fieldset>
      <fieldset><legend>Reference image (optional: the video starts from it)</legend>
        <input type="file" id="reference" accept="image/*,video/*">
        <div id="reference-note"></div>
        <button type="button" id="clear-reference" class="secondary">Clear</button>
      </fieldset>
      <fieldset><legend>Resolution</legend><div class="choices" id="resolution"></div></fieldset>
      <fieldset><legend>Aspect ratio (H:W)</legend><div class="choices" id="aspect_ratio"></div></fieldset>
      <fieldset><legend>Video length</legend><div class="choices" id="length"></div></fieldset>
      <fieldset><legend>Sampling</legend>
        <div class="slider"><label for="seed">Seed</label><input type="range" id="seed" min="1" max="2048" step="1" value="1024"><output for="seed"></output></div>
        <div class="slider"><label for="num_sampling_steps">Sampling steps</label><input type="range" id="num_sampling_steps" min="1" max="200" step="1"><output></output></div>
        <div class="slider"><label for="cfg_scale">CFG scale</label><input type="range" id="cfg_scale" min="0" max="10" step="0.1"><output></output></div>
      </fieldset>
      <fieldset><legend>Scores</legend>
        <div class="slider"><label><input type="checkbox" id="flow_on"> Motion strength</label><input type="range" id="flow" min="0" max="100" step="1" value="5"><output></output></div>
        <div class="slider"><label><input type="checkbox" id="aes_on"> Aesthetic</label><input type="range" id="aes" min="4" max="7" step="0.1"><output></output></div>
      </fieldset>
      <fieldset><legend>Camera motion</legend><div class="choices" id="camera_motion"></div></fieldset>
      <fieldset><legend>Advanced</legend>
        <div class="slider"><label for="fps">FPS</label><input type="range" id="fps" min="1" max="60" step="1"><output></output></div>
        <div class="slider"><label for="loop">Number of loops</label><input type="range" id="loop" min="1" max="20" step="1" value="1"><output></output></div>
        <label for="token">API token (when the server has one)</label><input type="password" id="token" autocomplete="off">
      </fieldset>
      <button type="submit" id="generate">Generate video</button>
      <button type="button" id="generate-image" class="secondary">Generate image</button>
    </form>
    <section>
      <progress id="progress" max="1" value="0"></progress>
      <div id="status"></div>
      <video id="player" controls playsinline></video>
      <h2>Finished videos</h2>
      <div id="gallery"></div>
    </section>
    </main>
    <script id="controls" type="application/json">{{CONTROLS}}</script>
    <script>
    "use strict";
    const C = JSON.parse(document.getElementById("controls").textContent);
    const $ = (id) => document.getElementById(id);

    function radios(id, values, checked, label = (v) => v) {
      const box = $(id);
      for (const v of values) {
        const l = document.createElement("label"), i = document.createElement("input");
        i.type = "radio"; i.name = id; i.value = v; i.checked = v === checked;
        l.append(i, " " + label(v)); box.append(l);
      }
    }
    const chosen = (name) => (document.querySelector(`input[name="${name}"]:checked`) || {}).value;
    const setChoice = (name, value) => {
      for (const i of document.querySelectorAll(`input[name="${name}"]`)) i.checked = i.value === String(value);
    };

    const d = C.defaults;
    radios("resolution", C.resolutions, d.resolution);
    radios("aspect_ratio", C.aspect_ratios, d.aspect_ratio);
    const lengths = (d.num_frames ? ["model"] : []).concat(C.durations);
    radios("length", lengths, lengths[0], (v) => v === "model" ? `the model's (${d.num_frames} frames)` : v);
    radios("camera_motion", ["none"].concat(C.camera_motions), "none");
    $("num_sampling_steps").value = d.num_sampling_steps;
    $("cfg_scale").value = d.cfg_scale;
    $("aes").value = d.aes;
    $("aes_on").checked = d.aes_enabled;
    $("fps").value = d.fps;
    $("token").value = localStorage.getItem("opensora-token") || "";
    // As in the demo: refinement on (and offered at all) only when the server has an LLM.
    $("llm_refine").checked = C.llm; $("llm_refine").disabled = !C.llm; $("random-prompt").disabled = !C.llm;
    for (const r of document.querySelectorAll("input[type=range]")) {
      const out = r.parentElement.querySelector("output"), show = () => { out.textContent = r.value; };
      r.addEventListener("input", show); show();
    }
    const sync = () => { $("flow").disabled = !$("flow_on").checked; $("aes").disabled = !$("aes_on").checked; };
    $("flow_on").addEventListener("change", sync); $("aes_on").addEventListener("change", sync); sync();

    function headers(json) {
      const h = {}, t = $("token").value.trim();
      if (t) h["Authorization"] = "Bearer " + t;
      if (json) h["Content-Type"] = "application/json";
      return h;
    }
    async function api(path, init = {}) {
      const r = await fetch(path, { ...init, headers: headers(typeof init.body === "string") });
      const body = r.headers.get("content-type")?.includes("json") ? await r.json() : null;
      if (!r.ok) throw new Error(body?.error?.message || `${r.status} ${r.statusText}`);
      return body;
    }
    function status(text, error = false) { $("status").textContent = text; $("status").className = error ? "error" : ""; }

    function body(image) {
      const b = { prompt: $("prompt").value, resolution: chosen("resolution"), aspect_ratio: chosen("aspect_ratio"),
                  seed: +$("seed").value, num_sampling_steps: +$("num_sampling_steps").value, cfg_scale: +$("cfg_scale").value,
                  fps: +$("fps").value, loop: +$("loop").value, aes: $("aes_on").checked ? +$("aes").value : "none" };
      if ($("llm_refine").checked) b.llm_refine = true;
      const length = chosen("length");
      if (image) b.num_frames = 1; else if (length !== "model") b.duration = length;
      if ($("flow_on").checked && !image) b.flow = +$("flow").value;
      const camera = chosen("camera_motion");
      if (camera !== "none" && !image) b.camera_motion = camera;
      return b;
    }

    async function fetchContent(job) {
      const r = await fetch(job.content_url, { headers: headers(false) });
      if (!r.ok) throw new Error(`the video could not be fetched: ${r.status}`);
      return r.blob();
    }
    async function show(job, target) { target.src = URL.createObjectURL(await fetchContent(job)); }

    // The reference the next video starts from: a chosen file, or the last generated image ("generate image, then animate").
    let reference = null;
    function setReference(blob, name) {
      reference = blob ? { blob, name } : null;
      $("reference-note").textContent = blob ? `using ${name}` : "";
    }
    $("reference").addEventListener("change", () => {
      const f = $("reference").files[0];
      setReference(f || null, f ? f.name : "");
    });
    $("clear-reference").addEventListener("click", () => { $("reference").value = ""; setReference(null); });

    // Server-sent events read through fetch, so the bearer token can go along (EventSource sends no headers).
    async function follow(id) {
      const r = await fetch(`/v1/videos/${id}/events`, { headers: headers(false) });
      if (!r.ok || !r.body) throw new Error(`progress stream: ${r.status}`);
      const reader = r.body.getReader(), decoder = new TextDecoder();
      let buffer = "", job = null;
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let cut;
        while ((cut = buffer.indexOf("\n\n")) >= 0) {
          const event = buffer.slice(0, cut); buffer = buffer.slice(cut + 2);
          const data = event.split("\n").filter((l) => l.startsWith("data: ")).map((l) => l.slice(6)).join("\n");
          if (!data || !event.includes("event: update")) continue;
          job = JSON.parse(data);
          $("progress").max = Math.max(1, job.total_steps); $("progress").value = job.step;
          status(`${job.state}: step ${job.step} of ${job.total_steps}`);
        }
      }
      return job;
    }

    async function generate(image) {
      localStorage.setItem("opensora-token", $("token").value.trim());
      if (!$("prompt").value.trim()) { status("Write a prompt first.", true); return; }
      $("generate").disabled = $("generate-image").disabled = true;
      $("progress").value = 0;
      try {
        let request = JSON.stringify(body(image));
        if (reference && !image) {
          request = new FormData();
          request.append("options", JSON.stringify(body(false)));
          request.append("reference", reference.blob, reference.name);
        }
        const job = await api("/v1/videos", { method: "POST", body: request });
        status(`queued (${job.id})`);
        const done = await follow(job.id) || await api(`/v1/videos/${job.id}`);
        if (done.state !== "succeeded") throw new Error(`${done.state}${done.error ? ": " + done.error : ""}`);
        status(`done: ${done.options.num_frames} frames at ${done.options.width}×${done.options.height}`
               + (done.options.refined_prompt ? ` — refined: ${done.options.refined_prompt}` : "")
               + (done.options.refine_error ? ` — not refined: ${done.options.refine_error}` : ""));
        const blob = await fetchContent(done);
        $("player").src = URL.createObjectURL(blob);
        $("player").play().catch(() => {});
        if (image) setReference(blob, "the generated image");
        gallery();
      } catch (e) {
        status(e.message, true);
      } finally {
        $("generate").disabled = $("generate-image").disabled = false;
      }
    }

    function reuse(o) {
      $("prompt").value = o.prompt;
      setChoice("resolution", o.resolution); setChoice("aspect_ratio", o.aspect_ratio);
      setChoice("length", C.durations.find((n) => ({ "2s": 51, "4s": 102, "8s": 204, "16s": 408 })[n] === o.num_frames) || (d.num_frames ? "model" : "2s"));
      setChoice("camera_motion", o.camera_motion || "none");
      for (const [k, v] of [["seed", o.seed], ["num_sampling_steps", o.num_sampling_steps], ["cfg_scale", o.cfg_scale], ["fps", o.fps], ["loop", o.loop]]) {
        $(k).value = v; $(k).dispatchEvent(new Event("input"));
      }
      $("aes_on").checked = o.aes !== null && o.aes !== undefined;
      if ($("aes_on").checked) { $("aes").value = o.aes; $("aes").dispatchEvent(new Event("input")); }
      $("flow_on").checked = o.flow !== null && o.flow !== undefined;
      if ($("flow_on").checked) { $("flow").value = o.flow; $("flow").dispatchEvent(new Event("input")); }
      sync();
      status("settings of that video loaded");
    }

    async function gallery() {
      let page;
      try { page = await api("/v1/videos?state=succeeded&limit=24"); } catch (e) { return; }
      const box = $("gallery"); box.replaceChildren();
      for (const job of page.data) {
        const f = document.createElement("figure"), v = document.createElement("video"), c = document.createElement("figcaption");
        const again = document.createElement("button"), o = job.options;
        v.controls = true; v.muted = true; v.playsInline = true;
        c.textContent = `${o.prompt} · ${o.resolution} ${o.aspect_ratio} · ${o.num_frames} frames · seed ${o.seed} · ${o.num_sampling_steps} steps · cfg ${o.cfg_scale}`;
        again.type = "button"; again.className = "secondary reuse"; again.textContent = "Use these settings";
        again.addEventListener("click", () => reuse(o));
        f.append(v, c, again); box.append(f);
        show(job, v).catch(() => {});
      }
    }

    $("random-prompt").addEventListener("click", async () => {
      localStorage.setItem("opensora-token", $("token").value.trim());
      try { $("prompt").value = (await api("/v1/prompts", { method: "POST", body: JSON.stringify({ prompt: "" }) })).prompt; }
      catch (e) { status(e.message, true); }
    });
    $("form").addEventListener("submit", (e) => { e.preventDefault(); generate(false); });
    $("generate-image").addEventListener("click", () => generate(true));
    gallery();
    </script>
    </body>
    </html>
    """#
}
