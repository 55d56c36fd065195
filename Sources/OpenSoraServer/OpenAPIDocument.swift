import Foundation
import OpenSora

/// `GET /openapi.json`: the API as an OpenAPI 3 document, built from the same field list, choices and limits the
/// request checks use, so the two cannot drift apart.
enum OpenAPIDocument {
    /// Every route the server registers (method, OpenAPI path), in registration order.
    static let routes: [(method: String, path: String)] = [
        ("get", "/"), ("get", "/healthz"), ("get", "/metrics"), ("get", "/openapi.json"), ("post", "/v1/videos"), ("get", "/v1/videos"),
        ("get", "/v1/videos/{id}"), ("get", "/v1/videos/{id}/content"), ("get", "/v1/videos/{id}/events"), ("delete", "/v1/videos/{id}"),
        ("post", "/v1/prompts"),
    ]

    static func json(configuration: ServerConfiguration) -> Data {
        let limits = GenerationRequest.Limits.self
        func ref(_ name: String) -> [String: Any] { ["$ref": "#/components/schemas/\(name)"] }
        func json(_ schema: [String: Any]) -> [String: Any] { ["application/json": ["schema": schema]] }
        func error(_ what: String) -> [String: Any] { ["description": what, "content": json(ref("Error"))] }
        let id: [String: Any] = ["name": "id", "in": "path", "required": true, "schema": ["type": "string", "format": "uuid"]]
        let frames: [String: Any] = ["oneOf": [["type": "integer", "minimum": limits.frames.lowerBound, "maximum": limits.frames.upperBound],
                                               ["type": "string", "enum": ["2s", "4s", "8s", "16s"]]]]
        let properties: [String: Any] = [
            "prompt": ["type": "string", "minLength": 1, "maxLength": limits.promptBytes],
            "resolution": ["type": "string", "enum": Resolution.allCases.map(\.rawValue)],
            "aspect_ratio": ["type": "string", "enum": AspectRatio.allCases.map(\.rawValue)],
            "num_frames": frames,
            "duration": ["type": "string", "enum": FrameCount.names.map(\.name).filter { $0.hasSuffix("s") }, "description": "instead of num_frames"],
            "fps": ["type": "integer", "minimum": limits.fps.lowerBound, "maximum": limits.fps.upperBound],
            "seed": ["type": "integer", "minimum": 0],
            "num_sampling_steps": ["type": "integer", "minimum": limits.steps.lowerBound, "maximum": limits.steps.upperBound],
            "cfg_scale": ["type": "number", "minimum": Double(limits.guidance.lowerBound), "maximum": Double(limits.guidance.upperBound)],
            "aes": ["oneOf": [["type": "number"], ["type": "string", "enum": ["none"]]]],
            "flow": ["type": "number"],
            "camera_motion": ["type": "string", "enum": CameraMotion.allCases.map(\.rawValue)],
            "loop": ["type": "integer", "minimum": limits.loops.lowerBound, "maximum": limits.loops.upperBound],
            "mask_strategy": ["type": "string", "description": "loop,ref,ref_start,target_start,length,edit_ratio[;…]"],
            "llm_refine": ["type": "boolean", "description": "rewrite the prompt with the server's LLM first (422 when it has none)"],
        ]
        let job: [String: Any] = ["type": "object", "required": ["id", "state", "step", "total_steps", "options"], "properties": [
            "id": ["type": "string", "format": "uuid"], "state": ["type": "string", "enum": JobState.allCases.map(\.rawValue)],
            "created_at": ["type": "string", "format": "date-time"], "started_at": ["type": "string", "format": "date-time", "nullable": true],
            "finished_at": ["type": "string", "format": "date-time", "nullable": true], "step": ["type": "integer"],
            "total_steps": ["type": "integer"], "error": ["type": "string", "nullable": true], "cancel_requested": ["type": "boolean"],
            "content_url": ["type": "string", "nullable": true], "options": ["type": "object"],
        ]]
        let errorSchema: [String: Any] = ["type": "object", "required": ["error"], "properties": ["error": [
            "type": "object", "required": ["code", "message"],
            "properties": ["code": ["type": "string"], "message": ["type": "string"], "field": ["type": "string"]],
        ]]]
        let common: [String: Any] = ["401": error("a bearer token is required or wrong"), "429": error("too many requests from this client")]
        func responses(_ own: [String: Any]) -> [String: Any] { own.merging(common) { a, _ in a } }
        let paths: [String: Any] = [
            "/": ["get": ["summary": "the web page (public, like /healthz)", "responses": ["200": ["description": "HTML",
                "content": ["text/html": ["schema": ["type": "string"]]]], "429": error("too many requests from this client")]]],
            "/healthz": ["get": ["summary": "liveness and job counts", "responses": ["200": ["description": "ok", "content": json(["type": "object"])],
                                                                                     "429": error("too many requests from this client")]]],
            "/metrics": ["get": ["summary": "Prometheus metrics", "responses": responses(["200": ["description": "text format 0.0.4",
                "content": ["text/plain": ["schema": ["type": "string"]]]]])]],
            "/openapi.json": ["get": ["summary": "this document", "responses": responses(["200": ["description": "OpenAPI 3", "content": json(["type": "object"])]])]],
            "/v1/videos": [
                "post": ["summary": "queue a video", "requestBody": ["required": true, "content": json([
                    "type": "object", "required": ["prompt"], "additionalProperties": false, "properties": properties]).merging([
                        // The same JSON as the `options` part, and a reference image or video the video starts from.
                        "multipart/form-data": ["encoding": ["options": ["contentType": "application/json"]],
                                                "schema": ["type": "object", "required": ["options"], "additionalProperties": false, "properties": [
                            "options": ["type": "object", "required": ["prompt"], "additionalProperties": false, "properties": properties,
                                        "description": "the JSON body's object"],
                            "reference": ["type": "string", "format": "binary",
                                          "description": "an image or video (checked by content, at most \(configuration.maxUploadBytes) bytes); mask strategy \"0\" unless the options give one"],
                        ]]]]) { a, _ in a }],
                         "responses": responses(["202": ["description": "queued", "content": json(ref("Job"))], "400": error("a field is invalid"),
                                                 "413": error("the body or reference is too large"), "415": error("neither JSON nor multipart/form-data"),
                                                 "422": error("too large for this machine's memory, or llm_refine without an LLM")])],
                "get": ["summary": "list jobs", "parameters": [
                    ["name": "limit", "in": "query", "schema": ["type": "integer", "minimum": ServerConfiguration.pageLimits.lowerBound,
                                                                  "maximum": ServerConfiguration.pageLimits.upperBound]],
                    ["name": "offset", "in": "query", "schema": ["type": "integer", "minimum": 0, "maximum": Int(Int32.max)]],
                    ["name": "state", "in": "query", "schema": ["type": "string", "enum": JobState.allCases.map(\.rawValue)]]],
                        "responses": responses(["200": ["description": "a page", "content": json(["type": "object", "properties": [
                            "data": ["type": "array", "items": ref("Job")], "total": ["type": "integer"], "limit": ["type": "integer"],
                            "offset": ["type": "integer"]]])], "400": error("a query parameter is invalid")])],
            ],
            "/v1/prompts": [
                "post": ["summary": "a prompt refined by the server's LLM (a random one for an empty prompt)",
                         "requestBody": ["required": true, "content": json(["type": "object", "properties": ["prompt": ["type": "string"]]])],
                         "responses": responses(["200": ["description": "the refined prompt", "content": json([
                             "type": "object", "properties": ["prompt": ["type": "string"]]])], "400": error("not a JSON object with a string prompt"),
                             "413": error("the body is too large"), "422": error("the server has no LLM endpoint"),
                             "502": error("the LLM endpoint failed")])],
            ],
            "/v1/videos/{id}": [
                "get": ["summary": "a job", "parameters": [id], "responses": responses([
                    "200": ["description": "the job", "content": json(ref("Job"))], "400": error("not a job id"), "404": error("no such job")])],
                "delete": ["summary": "cancel a queued or running job, delete a finished one", "parameters": [id], "responses": responses([
                    "200": ["description": "cancelled (it was queued)", "content": json(ref("Job"))],
                    "202": ["description": "cancelling (it stops at its next step)", "content": json(ref("Job"))],
                    "204": ["description": "deleted (it had finished)"], "400": error("not a job id"), "404": error("no such job")])],
            ],
            "/v1/videos/{id}/content": ["get": ["summary": "the video (byte ranges supported)", "parameters": [id,
                ["name": "Range", "in": "header", "schema": ["type": "string"]]], "responses": responses([
                    "200": ["description": "the video", "content": ["video/mp4": ["schema": ["type": "string", "format": "binary"]]]],
                    "206": ["description": "a byte range", "content": ["video/mp4": ["schema": ["type": "string", "format": "binary"]]]],
                    "400": error("not a job id"), "404": error("no such job or video"), "409": error("not finished"),
                    "416": error("range outside the video")])]],
            "/v1/videos/{id}/events": ["get": ["summary": "server-sent events: an update at each state or step change", "parameters": [id],
                "responses": responses(["200": ["description": "text/event-stream of `update` events whose data is a Job",
                                                "content": ["text/event-stream": ["schema": ["type": "object", "properties": [
                                                    "event": ["type": "string", "enum": ["update", "deleted"]], "data": ["type": "string"],
                                                    "id": ["type": "string"]]]]]],
                                        "400": error("not a job id"), "404": error("no such job")])]],
        ]
        var components: [String: Any] = ["schemas": ["Job": job, "Error": errorSchema]]
        var document: [String: Any] = [
            "openapi": "3.0.3",
            "info": ["title": "opensora serve", "version": "1", "description": "Open-Sora 1.2 text-to-video jobs"],
            "paths": paths,
        ]
        if configuration.token != nil {
            components["securitySchemes"] = ["bearer": ["type": "http", "scheme": "bearer"]]
            document["security"] = [["bearer": [String]()]]
        }
        document["components"] = components
        return (try? JSONSerialization.data(withJSONObject: document, options: [.sortedKeys])) ?? Data("{}".utf8)
    }
}
