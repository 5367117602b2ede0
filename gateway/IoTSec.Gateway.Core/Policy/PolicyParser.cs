using System;
using System.Collections.Generic;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using IoTSec.Gateway.Core.Inventory;
using IoTSec.Protocol.Topics;
using Json.Schema;

namespace IoTSec.Gateway.Core.Policy;

/// <summary>
/// Turns a policy file's bytes into a <see cref="PolicyDocument"/>, checking all of it and
/// reporting every error with its line, column and key path (docs/policy.md is the format).
/// Default deny is the rule of the format: an unknown key, a missing key, an unknown class or
/// payload type is an error, never a default that opens something.
/// </summary>
public static partial class PolicyParser
{
    /// <summary>The format version this gateway reads.</summary>
    public const int FormatVersion = 1;

    /// <summary>Largest policy file accepted.</summary>
    public const int MaxFileBytes = 1024 * 1024;

    /// <summary>Largest JSON schema file accepted.</summary>
    public const int MaxSchemaBytes = 256 * 1024;

    /// <summary>Largest max-size accepted: MQTT's own limit on a packet (268,435,455 bytes).</summary>
    public const int MaxPayloadLimit = 268_435_455;

    private static readonly string[] TreePrefix = ["iotsec", "v1", "d"];
    private static readonly string[] TopKeys = ["version", "quarantine", "classes", "segmentation"];
    private static readonly string[] RequiredTopKeys = ["version", "quarantine", "classes"];
    private static readonly string[] QuarantineKeys = ["class", "threshold", "window"];
    private static readonly string[] ClassKeys = ["heartbeat-interval", "firmware", "publish", "subscribe", "network"];
    private static readonly string[] RequiredClassKeys = ["heartbeat-interval", "firmware", "publish", "subscribe"];
    private static readonly string[] PublishKeys = ["topic", "payload", "schema", "max-size", "qos", "retain", "rate", "burst"];
    private static readonly string[] SubscribeKeys = ["topic", "qos"];
    private static readonly TopicKind[] QuarantinePublishKinds = [TopicKind.Heartbeat, TopicKind.CommandAck];

    /// <summary>
    /// Parses <paramref name="bytes"/> (UTF-8 YAML). <paramref name="readSchema"/> returns the
    /// text of a schema file named in the policy (relative names as written), or throws
    /// <see cref="System.IO.IOException"/>; null refuses every schema reference.
    /// </summary>
    /// <exception cref="PolicyRejectedException">The file has errors; all of them are listed.</exception>
    public static PolicyDocument Parse(ReadOnlySpan<byte> bytes, string source, Func<string, string>? readSchema)
    {
        ArgumentNullException.ThrowIfNull(source);
        var errors = new List<PolicyError>();
        if (bytes.Length > MaxFileBytes)
        {
            throw new PolicyRejectedException(source, [new PolicyError(0, 0, string.Empty, $"the file is larger than {MaxFileBytes} bytes")]);
        }

        string text;
        try
        {
            text = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw new PolicyRejectedException(source, [new PolicyError(0, 0, string.Empty, "the file is not valid UTF-8")]);
        }

        var root = PolicyYamlReader.Read(text.TrimStart('\uFEFF'), errors);
        PolicyDocument? document = null;
        if (root is not null)
        {
            document = new Builder(errors, readSchema).Build(root, source, Convert.ToHexStringLower(SHA256.HashData(bytes)));
        }

        if (errors.Count > 0 || document is null)
        {
            errors.Sort((a, b) => a.Line != b.Line ? a.Line.CompareTo(b.Line) : a.Column.CompareTo(b.Column));
            throw new PolicyRejectedException(source, errors);
        }

        return document;
    }

    private sealed record QuarantineDraft(string ClassName, int? Threshold, TimeSpan? Window, PolicyYamlNode Node);

    private sealed partial class Builder(List<PolicyError> errors, Func<string, string>? readSchema)
    {
        public PolicyDocument? Build(PolicyYamlNode root, string source, string sha256)
        {
            if (Mapping(root, string.Empty, TopKeys, required: RequiredTopKeys) is not { } top)
            {
                return null;
            }

            if (Get(top, "version") is { } versionNode && Integer(versionNode, "version", 1, int.MaxValue) is { } version && version != FormatVersion)
            {
                Error(versionNode, "version", $"version {version} is not supported: this gateway reads version {FormatVersion}");
            }

            var quarantine = Get(top, "quarantine") is { } q ? Quarantine(q) : null;
            // Zones first: class network rules refer to its endpoints and gateway services.
            _segmentationNode = Get(top, "segmentation");
            var segmentation = _segmentationNode is { } seg ? Segmentation(seg) : null;
            _segmentation = segmentation;
            var classes = new List<DeviceClassPolicy>();
            if (Get(top, "classes") is { } classesNode && Mapping(classesNode, "classes", null, null) is { } classMap)
            {
                if (classMap.Entries.Count == 0)
                {
                    Error(classMap, "classes", "no class is defined: every device would be refused");
                }

                foreach (var (key, value) in classMap.Entries)
                {
                    var path = "classes." + key.Value;
                    if (!InventoryText.IsValidIdentifier(key.Value))
                    {
                        Error(key, path, $"'{PolicyYamlReader.Printable(key.Value)}' is not a device class name: expected 1 to 64 of A-Z a-z 0-9 . _ -");
                        continue;
                    }

                    var isQuarantineClass = quarantine is not null && string.Equals(quarantine.ClassName, key.Value, StringComparison.Ordinal);
                    if (Class(key.Value, value, path, isQuarantineClass) is { } policy)
                    {
                        classes.Add(policy);
                    }
                }

                if (quarantine is { } rules && Get(classMap, rules.ClassName) is null)
                {
                    Error(rules.Node, "quarantine.class", $"class '{PolicyYamlReader.Printable(rules.ClassName)}' is not defined under classes");
                }
            }

            if (errors.Count > 0 || quarantine?.Threshold is not { } threshold || quarantine.Window is not { } window)
            {
                return null;
            }

            return new PolicyDocument(source, sha256, classes, new QuarantineRules(quarantine.ClassName, threshold, window), segmentation);
        }

        private QuarantineDraft? Quarantine(PolicyYamlNode node)
        {
            if (Mapping(node, "quarantine", QuarantineKeys, QuarantineKeys) is not { } map)
            {
                return null;
            }

            var classNode = Get(map, "class");
            var name = classNode is null ? null : Text(classNode, "quarantine.class");
            var threshold = Get(map, "threshold") is { } t ? Integer(t, "quarantine.threshold", 1, QuarantineRules.MaxThreshold) : null;
            var window = Get(map, "window") is { } w ? Duration(w, "quarantine.window", TimeSpan.FromSeconds(1), TimeSpan.FromDays(1)) : null;
            return name is null || classNode is null ? null : new QuarantineDraft(name, threshold, window, classNode);
        }

        private DeviceClassPolicy? Class(string name, PolicyYamlNode node, string path, bool isQuarantineClass)
        {
            if (Mapping(node, path, ClassKeys, RequiredClassKeys) is not { } map)
            {
                return null;
            }

            var before = errors.Count;
            var interval = Get(map, "heartbeat-interval") is { } i ? Duration(i, path + ".heartbeat-interval", TimeSpan.FromSeconds(1), TimeSpan.FromDays(1)) : null;
            var firmware = Get(map, "firmware") is { } f ? Firmware(f, path + ".firmware") : null;
            var publish = new List<PublishRule>();
            if (Get(map, "publish") is { } p && Sequence(p, path + ".publish") is { } publishList)
            {
                for (var index = 0; index < publishList.Items.Count; index++)
                {
                    if (Publish(publishList.Items[index], path + ".publish[" + index.ToString(CultureInfo.InvariantCulture) + "]", publish.Count, isQuarantineClass) is { } rule)
                    {
                        publish.Add(rule);
                    }
                }
            }

            var subscribe = new List<SubscribeRule>();
            if (Get(map, "subscribe") is { } s && Sequence(s, path + ".subscribe") is { } subscribeList)
            {
                for (var index = 0; index < subscribeList.Items.Count; index++)
                {
                    if (Subscribe(subscribeList.Items[index], path + ".subscribe[" + index.ToString(CultureInfo.InvariantCulture) + "]", subscribe.Count, isQuarantineClass) is { } rule)
                    {
                        subscribe.Add(rule);
                    }
                }
            }

            var network = Get(map, "network") is { } n ? Network(n, path + ".network", isQuarantineClass) : [];
            return errors.Count != before || interval is null || firmware is null || network is null
                ? null
                : new DeviceClassPolicy(name, [.. publish], [.. subscribe], firmware, interval.Value, network);
        }

        private PublishRule? Publish(PolicyYamlNode node, string path, int index, bool isQuarantineClass)
        {
            if (Mapping(node, path, PublishKeys, ["topic", "payload", "max-size", "qos", "rate", "burst"]) is not { } map)
            {
                return null;
            }

            var before = errors.Count;
            var topic = Get(map, "topic") is { } t ? Topic(t, path + ".topic", publish: true, isQuarantineClass) : null;
            PayloadType? payload = null;
            if (Get(map, "payload") is { } payloadNode && Text(payloadNode, path + ".payload") is { } payloadName)
            {
                if (PayloadTypeNames.TryParse(payloadName, out var parsed))
                {
                    payload = parsed;
                }
                else
                {
                    Error(payloadNode, path + ".payload", $"'{PolicyYamlReader.Printable(payloadName)}' is not a payload type: expected heartbeat, json, cbor or any");
                }
            }

            JsonSchema? schema = null;
            string? schemaFile = null;
            if (Get(map, "schema") is { } schemaNode && Text(schemaNode, path + ".schema") is { } file)
            {
                schemaFile = file;
                if (payload is not null && payload != PayloadType.Json)
                {
                    Error(schemaNode, path + ".schema", "a schema applies to payload json only");
                }
                else
                {
                    schema = Schema(schemaNode, path + ".schema", file);
                }
            }

            var maxSize = Get(map, "max-size") is { } m ? Integer(m, path + ".max-size", 1, MaxPayloadLimit) : null;
            var qos = Get(map, "qos") is { } q ? Qos(q, path + ".qos") : null;
            var retain = Get(map, "retain") is { } r ? Boolean(r, path + ".retain") : false;
            RateLimit? rate = null;
            var burst = Get(map, "burst") is { } b ? Integer(b, path + ".burst", 1, RateLimit.MaxCount) : null;
            if (Get(map, "rate") is { } rateNode && Text(rateNode, path + ".rate") is { } rateText)
            {
                if (RateLimit.TryParseRate(rateText, out var count, out var period))
                {
                    rate = burst is null ? null : new RateLimit(count, period, burst.Value);
                }
                else
                {
                    Error(rateNode, path + ".rate", $"'{PolicyYamlReader.Printable(rateText)}' is not a rate such as 10/s (a whole number per s, min or h)");
                }
            }

            if (errors.Count != before || topic is null || payload is null || maxSize is null || qos is null || retain is null || rate is null)
            {
                return null;
            }

            return new PublishRule(index, topic, payload.Value, maxSize.Value, qos.Value, retain.Value, rate, schema, schemaFile);
        }

        private SubscribeRule? Subscribe(PolicyYamlNode node, string path, int index, bool isQuarantineClass)
        {
            if (Mapping(node, path, SubscribeKeys, SubscribeKeys) is not { } map)
            {
                return null;
            }

            var topic = Get(map, "topic") is { } t ? Topic(t, path + ".topic", publish: false, isQuarantineClass) : null;
            var qos = Get(map, "qos") is { } q ? Qos(q, path + ".qos") : null;
            return topic is null || qos is null ? null : new SubscribeRule(index, topic, qos.Value);
        }

        private TopicPattern? Topic(PolicyYamlNode node, string path, bool publish, bool isQuarantineClass)
        {
            if (Text(node, path) is not { } text)
            {
                return null;
            }

            var pattern = TopicPattern.TryParse(text, out var problem);
            if (pattern is null)
            {
                Error(node, path, $"'{PolicyYamlReader.Printable(text)}' {problem}");
                return null;
            }

            var inTree = pattern.CanStartWith(TreePrefix);
            if (inTree && pattern.LevelAt(3) != TopicPattern.DevicePlaceholder)
            {
                // iotsec/v1/d/+/… or # would give one device other devices' topics.
                Error(node, path, $"'{pattern}' reaches other devices' topics: under {DeviceTopics.Root} the device level must be {TopicPattern.DevicePlaceholder}");
                return null;
            }

            if (publish && inTree && pattern.CanHoldAt(4, "down"))
            {
                Error(node, path, $"'{pattern}' allows publishing on downlink topics ({DeviceTopics.Root}{{device}}/down/…): only the gateway publishes there");
                return null;
            }

            if (isQuarantineClass && !QuarantineAllows(pattern, publish))
            {
                Error(node, path, publish
                    ? $"'{pattern}' is not allowed in the quarantine class: it may publish only on {DeviceTopics.Root}{{device}}/up/heartbeat and /up/cmd-ack, without wildcards"
                    : $"'{pattern}' is not allowed in the quarantine class: it may subscribe only under {DeviceTopics.Root}{{device}}/down/");
                return null;
            }

            return pattern;
        }

        // The quarantine class lets a device prove its posture, take commands (re-enrol,
        // decommission) and OTA offers, and nothing else.
        private static bool QuarantineAllows(TopicPattern pattern, bool publish)
        {
            if (pattern.LevelAt(0) != "iotsec" || pattern.LevelAt(1) != "v1" || pattern.LevelAt(2) != "d" || pattern.LevelAt(3) != TopicPattern.DevicePlaceholder)
            {
                return false;
            }

            if (!publish)
            {
                return pattern.LevelAt(4) == "down";
            }

            const string Sample = "device";
            return !pattern.HasWildcard
                && TopicParser.TryParse(pattern.Text.Replace(TopicPattern.DevicePlaceholder, Sample, StringComparison.Ordinal), out _, out var kind)
                && Array.IndexOf(QuarantinePublishKinds, kind) >= 0;
        }

        private JsonSchema? Schema(PolicyYamlNode node, string path, string file)
        {
            if (readSchema is null)
            {
                Error(node, path, $"schema '{PolicyYamlReader.Printable(file)}' cannot be read here");
                return null;
            }

            string text;
            try
            {
                text = readSchema(file);
            }
            catch (Exception e) when (e is System.IO.IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                Error(node, path, $"schema '{PolicyYamlReader.Printable(file)}' cannot be read: {e.Message}");
                return null;
            }

            if (text.Length > MaxSchemaBytes)
            {
                Error(node, path, $"schema '{PolicyYamlReader.Printable(file)}' is larger than {MaxSchemaBytes} bytes");
                return null;
            }

            try
            {
                // Compiled once here; a registry of its own per load, so a reload never meets
                // the $id of the schema it replaces, and no reference is fetched from the network.
                var options = new BuildOptions { SchemaRegistry = new SchemaRegistry() };
                return JsonSchema.FromText(text, options);
            }
            catch (Exception e) when (e is JsonException or JsonSchemaException or RefResolutionException or ArgumentException or InvalidOperationException or FormatException or NotSupportedException)
            {
                Error(node, path, $"schema '{PolicyYamlReader.Printable(file)}' is not a valid JSON schema: {e.Message}");
                return null;
            }
        }

        private byte[][]? Firmware(PolicyYamlNode node, string path)
        {
            if (Sequence(node, path) is not { } list)
            {
                return null;
            }

            var digests = new List<byte[]>();
            var seen = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
            var ok = true;
            for (var i = 0; i < list.Items.Count; i++)
            {
                var itemPath = path + "[" + i.ToString(CultureInfo.InvariantCulture) + "]";
                if (Text(list.Items[i], itemPath) is not { } hex)
                {
                    ok = false;
                    continue;
                }

                if (hex.Length != 64 || !IsHex(hex))
                {
                    Error(list.Items[i], itemPath, $"'{PolicyYamlReader.Printable(hex)}' is not a SHA-256 digest (64 hex digits)");
                    ok = false;
                    continue;
                }

                if (seen.TryGetValue(hex, out var first))
                {
                    Error(list.Items[i], itemPath, $"digest appears again (first at {path}[{first}])");
                    ok = false;
                    continue;
                }

                seen.Add(hex, i);
                digests.Add(Convert.FromHexString(hex));
            }

            return ok ? [.. digests] : null;
        }

        private int? Qos(PolicyYamlNode node, string path)
        {
            if (Sequence(node, path) is not { } list)
            {
                return null;
            }

            if (list.Items.Count == 0)
            {
                Error(list, path, "no QoS is listed: give one or more of 0, 1, 2");
                return null;
            }

            var mask = 0;
            for (var i = 0; i < list.Items.Count; i++)
            {
                var itemPath = path + "[" + i.ToString(CultureInfo.InvariantCulture) + "]";
                if (Integer(list.Items[i], itemPath, 0, 2, "a QoS (0, 1 or 2)") is not { } qos)
                {
                    return null;
                }

                if ((mask & (1 << qos)) != 0)
                {
                    Error(list.Items[i], itemPath, $"QoS {qos} is listed twice");
                    return null;
                }

                mask |= 1 << qos;
            }

            return mask;
        }

        private PolicyYamlMapping? Mapping(PolicyYamlNode node, string path, string[]? allowed, string[]? required)
        {
            if (node is not PolicyYamlMapping map)
            {
                Error(node, path, "expected a mapping, found " + node.Kind);
                return null;
            }

            if (allowed is not null)
            {
                foreach (var (key, _) in map.Entries)
                {
                    if (Array.IndexOf(allowed, key.Value) < 0)
                    {
                        Error(key, Join(path, key.Value), $"unknown key (expected {string.Join(", ", allowed)})");
                    }
                }
            }

            if (required is not null)
            {
                foreach (var name in required)
                {
                    if (Get(map, name) is null)
                    {
                        Error(map, path, $"missing key '{name}'");
                    }
                }
            }

            return map;
        }

        private PolicyYamlSequence? Sequence(PolicyYamlNode node, string path)
        {
            if (node is PolicyYamlSequence list)
            {
                return list;
            }

            Error(node, path, "expected a sequence, found " + node.Kind);
            return null;
        }

        private string? Text(PolicyYamlNode node, string path)
        {
            if (node is PolicyYamlScalar { Value.Length: > 0 } scalar)
            {
                return scalar.Value;
            }

            Error(node, path, node is PolicyYamlScalar ? "is empty" : "expected a value, found " + node.Kind);
            return null;
        }

        private int? Integer(PolicyYamlNode node, string path, int min, int max, string? what = null)
        {
            if (Text(node, path) is not { } text)
            {
                return null;
            }

            if (node is PolicyYamlScalar { Quoted: false }
                && text.Length <= 10
                && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
                && value >= min && value <= max)
            {
                return value;
            }

            Error(node, path, what is null
                ? $"'{PolicyYamlReader.Printable(text)}' is not a whole number from {min} to {max}"
                : $"'{PolicyYamlReader.Printable(text)}' is not {what}");
            return null;
        }

        private bool? Boolean(PolicyYamlNode node, string path)
        {
            if (Text(node, path) is not { } text)
            {
                return null;
            }

            if (node is PolicyYamlScalar { Quoted: false } && text is "true" or "false")
            {
                return text == "true";
            }

            Error(node, path, $"'{PolicyYamlReader.Printable(text)}' is not true or false");
            return null;
        }

        private TimeSpan? Duration(PolicyYamlNode node, string path, TimeSpan min, TimeSpan max)
        {
            if (Text(node, path) is not { } text)
            {
                return null;
            }

            if (PolicyDurations.TryParse(text, out var duration) && duration >= min && duration <= max)
            {
                return duration;
            }

            Error(node, path, $"'{PolicyYamlReader.Printable(text)}' is not a duration such as 30s, 5min or 1h from {PolicyDurations.Format(min)} to {PolicyDurations.Format(max)}");
            return null;
        }

        private static PolicyYamlNode? Get(PolicyYamlMapping map, string key)
        {
            foreach (var (name, value) in map.Entries)
            {
                if (string.Equals(name.Value, key, StringComparison.Ordinal))
                {
                    return value;
                }
            }

            return null;
        }

        private static bool IsHex(string text)
        {
            foreach (var c in text)
            {
                if (!char.IsAsciiHexDigit(c))
                {
                    return false;
                }
            }

            return true;
        }

        private static string Join(string path, string key) => path.Length == 0 ? key : path + "." + key;

        private void Error(PolicyYamlNode node, string path, string message) => errors.Add(new PolicyError(node.Line, node.Column, path, message));
    }
}
