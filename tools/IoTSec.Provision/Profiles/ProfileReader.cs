using System;
using System.Collections.Generic;
using System.IO;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using IoTSec.Protocol.Provisioning;
using IoTSec.Protocol.Rsa;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace IoTSec.Provision.Profiles;

/// <summary>
/// Reads a provisioning profile (docs/provisioning.md, "Profile"). Strict: an unknown or
/// missing key, a value of the wrong type or out of range is refused with the key's path and
/// line, so a typo stops the bench before a unit is written rather than a device failing to
/// enrol in the field. Anchor files are resolved relative to the profile.
/// </summary>
public static class ProfileReader
{
    /// <summary>Largest profile or anchor file read (they are a few kilobytes; this bounds a wrong path to a large file).</summary>
    public const int MaxFileLength = 64 * 1024;

    /// <summary>Deepest nesting accepted (a profile has three levels).</summary>
    public const int MaxDepth = 8;

    private static readonly string[] TopKeys = ["deviceClass", "gateway", "heartbeatIntervalSeconds", "trustAnchors", "development"];
    private static readonly string[] GatewayKeys = ["host", "port", "mqttPort"];
    private static readonly string[] AnchorKeys = ["gatewayRoot", "otaSigningKey"];
    private static readonly string[] GatewayRootKeys = ["certificate", "keyId"];
    private static readonly string[] OtaKeyKeys = ["publicKey", "keyId"];

    /// <summary>Reads and checks the profile at <paramref name="path"/>.</summary>
    /// <exception cref="ProfileException">The file, a key or a referenced file is refused; the message says which and why.</exception>
    public static ProvisioningProfile Read(string path)
    {
        string text = ReadBounded(path, "profile");
        string directory = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
        return Parse(text, path, file => ReadBounded(Resolve(directory, file), file));
    }

    /// <summary>Parses profile text; anchor files are read through <paramref name="readFile"/> (relative names as written).</summary>
    /// <param name="text">The YAML.</param>
    /// <param name="path">The profile's name, for messages.</param>
    /// <param name="readFile">Reads a referenced file's text (bounded); throws <see cref="ProfileException"/> when it cannot.</param>
    /// <exception cref="ProfileException">Anything refused.</exception>
    public static ProvisioningProfile Parse(string text, string path, Func<string, string> readFile)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(readFile);
        if (text.Length > MaxFileLength)
        {
            throw new ProfileException($"profile '{path}' is longer than {MaxFileLength} characters");
        }

        YamlMappingNode top;
        try
        {
            CheckShape(text, path);
            var stream = new YamlStream();
            stream.Load(new StringReader(text));
            if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode mapping)
            {
                throw new ProfileException($"profile '{path}': expected one YAML document holding a mapping");
            }

            top = mapping;
        }
        catch (YamlException e)
        {
            throw new ProfileException($"profile '{path}' line {e.Start.Line}: not valid YAML: {e.Message}", e);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            // Found by fuzzing (provision-profile), as gateway-yaml found for the gateway's
            // reader: YamlDotNet 18.1 reports some malformed input (stray tokens, bad tags)
            // with these instead of a YamlException.
            throw new ProfileException($"profile '{path}': not valid YAML: {e.Message}", e);
        }

        var context = new Context(path);
        var root = context.Mapping(top, string.Empty, TopKeys);
        var gateway = context.Mapping(context.Required(root, "gateway"), "gateway.", GatewayKeys);
        var anchors = context.Mapping(context.Required(root, "trustAnchors"), "trustAnchors.", AnchorKeys);
        var gatewayRoot = context.Mapping(context.Required(anchors, "gatewayRoot"), "trustAnchors.gatewayRoot.", GatewayRootKeys);
        var otaKey = context.Mapping(context.Required(anchors, "otaSigningKey"), "trustAnchors.otaSigningKey.", OtaKeyKeys);

        ProvisioningConfiguration configuration = context.Check("deviceClass", () => new ProvisioningConfiguration(
            context.Text(root, "deviceClass"),
            context.Text(gateway, "host"),
            context.Integer(gateway, "port"),
            context.Integer(gateway, "mqttPort"),
            context.Integer(root, "heartbeatIntervalSeconds")));

        TrustAnchor gatewayAnchor = context.Check("trustAnchors.gatewayRoot", () => new TrustAnchor(
            TrustAnchorKind.GatewayRoot,
            ReadCertificate(context.Text(gatewayRoot, "certificate"), readFile, context, "trustAnchors.gatewayRoot.certificate"),
            KeyId(context, gatewayRoot, "trustAnchors.gatewayRoot.keyId")));
        TrustAnchor otaAnchor = context.Check("trustAnchors.otaSigningKey", () => new TrustAnchor(
            TrustAnchorKind.OtaSigningKey,
            ReadOtaKey(context.Text(otaKey, "publicKey"), readFile, context, "trustAnchors.otaSigningKey.publicKey"),
            KeyId(context, otaKey, "trustAnchors.otaSigningKey.keyId")));
        TrustAnchorList list = context.Check("trustAnchors", () => new TrustAnchorList([gatewayAnchor, otaAnchor]));

        bool development = root.TryGetValue("development", out var node) && context.Boolean(node, "development");
        return new ProvisioningProfile(configuration, list, development);
    }

    /// <summary>
    /// Refuses anchors, aliases and nesting deeper than <see cref="MaxDepth"/> before the
    /// document is loaded into a tree, walking the parser's events iteratively. Found by
    /// fuzzing (provision-profile): an alias to a sequence that contains it, used as a mapping
    /// key, sends YamlDotNet's loader into unbounded recursion (GetHashCode of a cyclic node),
    /// a stack overflow no catch can stop. A profile needs neither aliases nor deep nesting.
    /// </summary>
    private static void CheckShape(string text, string path)
    {
        var parser = new Parser(new StringReader(text));
        int depth = 0;
        while (parser.MoveNext())
        {
            switch (parser.Current)
            {
                case AnchorAlias alias:
                    throw new ProfileException($"profile '{path}' line {alias.Start.Line}: aliases (*{alias.Value}) are not allowed");
                case NodeEvent { Anchor.IsEmpty: false } node:
                    throw new ProfileException($"profile '{path}' line {node.Start.Line}: anchors (&{node.Anchor}) are not allowed");
            }

            if (parser.Current is SequenceStart or MappingStart)
            {
                if (++depth > MaxDepth)
                {
                    throw new ProfileException($"profile '{path}' line {parser.Current.Start.Line}: nested deeper than {MaxDepth} levels");
                }
            }
            else if (parser.Current is SequenceEnd or MappingEnd)
            {
                depth--;
            }
        }
    }

    private static string Resolve(string directory, string file) => Path.IsPathRooted(file) ? file : Path.Combine(directory, file);

    private static byte[] KeyId(Context context, Dictionary<string, YamlNode> map, string path)
    {
        string text = context.Text(map, path[(path.LastIndexOf('.') + 1)..]);
        return Encoding.UTF8.GetBytes(text);
    }

    private static byte[] ReadCertificate(string file, Func<string, string> readFile, Context context, string key)
    {
        string pem = readFile(file);
        try
        {
            using var certificate = X509Certificate2.CreateFromPem(pem);
            if (certificate.Extensions["2.5.29.19"] is not X509BasicConstraintsExtension { CertificateAuthority: true })
            {
                throw new ProfileException($"profile '{context.Path}': {key}: '{file}' is not a CA certificate (a gateway root must be one)");
            }

            return certificate.RawData;
        }
        catch (CryptographicException e)
        {
            throw new ProfileException($"profile '{context.Path}': {key}: '{file}' holds no PEM certificate: {e.Message}", e);
        }
    }

    private static byte[] ReadOtaKey(string file, Func<string, string> readFile, Context context, string key)
    {
        string pem = readFile(file);
        try
        {
            var fields = PemEncoding.Find(pem);
            string label = pem[fields.Label];
            if (label != "PUBLIC KEY")
            {
                throw new ProfileException($"profile '{context.Path}': {key}: '{file}' holds a '{label}' block; the OTA signing key must be an RSA 'PUBLIC KEY' (never a private key)");
            }

            byte[] der = Convert.FromBase64String(pem[fields.Base64Data]);

            // The kid travels in the anchor list, not in the COSE_Key itself.
            return RsaCoseKey.Encode(RsaSubjectPublicKeyInfo.Decode(der), []);
        }
        catch (ArgumentException e)
        {
            throw new ProfileException($"profile '{context.Path}': {key}: '{file}' holds no PEM block: {e.Message}", e);
        }
        catch (RsaKeyException e)
        {
            throw new ProfileException($"profile '{context.Path}': {key}: '{file}' is not an acceptable RSA OTA signing key: {e.Message}", e);
        }
    }

    private static string ReadBounded(string file, string what)
    {
        try
        {
            // Read through a bounded buffer, not File.ReadAllText: a character device such as
            // /dev/zero reports length 0 and never ends.
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read);
            var buffer = new byte[MaxFileLength + 1];
            int total = 0;
            int read;
            while (total < buffer.Length && (read = stream.Read(buffer, total, buffer.Length - total)) > 0)
            {
                total += read;
            }

            if (total > MaxFileLength)
            {
                throw new ProfileException($"{what}: file '{file}' is longer than {MaxFileLength} bytes");
            }

            return new UTF8Encoding(false, true).GetString(buffer, 0, total);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new ProfileException($"{what}: file '{file}' does not exist", e);
        }
        catch (DecoderFallbackException e)
        {
            throw new ProfileException($"{what}: file '{file}' is not UTF-8 text", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ProfileException($"{what}: cannot read '{file}': {e.Message}", e);
        }
    }

    /// <summary>Key lookups that name the key path and line in every refusal.</summary>
    private sealed class Context(string path)
    {
        public string Path { get; } = path;

        public Dictionary<string, YamlNode> Mapping(YamlNode node, string prefix, string[] allowed)
        {
            if (node is not YamlMappingNode mapping)
            {
                throw Refuse(node, prefix.TrimEnd('.'), "expected a mapping");
            }

            var result = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
            foreach (var (keyNode, value) in mapping.Children)
            {
                string key = keyNode is YamlScalarNode { Value: { } k } ? k : string.Empty;
                if (Array.IndexOf(allowed, key) < 0)
                {
                    throw Refuse(keyNode, prefix + key, "unknown key (allowed here: " + string.Join(", ", allowed) + ")");
                }

                if (!result.TryAdd(key, value))
                {
                    throw Refuse(keyNode, prefix + key, "duplicate key");
                }

                _names[value] = prefix + key;
            }

            return result;
        }

        public YamlNode Required(Dictionary<string, YamlNode> map, string key) =>
            map.TryGetValue(key, out var node) ? node : throw new ProfileException($"profile '{Path}': missing key '{key}'");

        public string Text(Dictionary<string, YamlNode> map, string key)
        {
            YamlNode node = Required(map, key);
            if (node is not YamlScalarNode { Value: { Length: > 0 } value })
            {
                throw Refuse(node, Name(node, key), "expected a non-empty text value");
            }

            return value;
        }

        public int Integer(Dictionary<string, YamlNode> map, string key)
        {
            YamlNode node = Required(map, key);
            if (node is not YamlScalarNode { Value: { } value } || !int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int number))
            {
                throw Refuse(node, Name(node, key), "expected a whole number");
            }

            return number;
        }

        public bool Boolean(YamlNode node, string key) => node is YamlScalarNode { Value: "true" or "false" } scalar
            ? scalar.Value == "true"
            : throw Refuse(node, key, "expected true or false");

        /// <summary>Runs a protocol constructor; its refusal is reported against <paramref name="key"/>.</summary>
        public T Check<T>(string key, Func<T> build)
        {
            try
            {
                return build();
            }
            catch (ProvisioningPayloadException e)
            {
                throw new ProfileException($"profile '{Path}': {Blame(e, key)}: {e.Message}", e);
            }
        }

        private readonly Dictionary<YamlNode, string> _names = new(ReferenceEqualityComparer.Instance);

        private string Name(YamlNode node, string fallback) => _names.TryGetValue(node, out var name) ? name : fallback;

        // The configuration constructor checks all five values; its message names the field in
        // words ("heartbeat interval", "gateway port"), mapped back to the profile's key here.
        private static string Blame(ProvisioningPayloadException e, string key)
        {
            if (key != "deviceClass")
            {
                return key;
            }

            string message = e.Message;
            return message.Contains("heartbeat", StringComparison.OrdinalIgnoreCase) ? "heartbeatIntervalSeconds"
                : message.Contains("MQTT port", StringComparison.Ordinal) ? "gateway.mqttPort"
                : message.Contains("gateway port", StringComparison.Ordinal) ? "gateway.port"
                : message.Contains("host", StringComparison.OrdinalIgnoreCase) ? "gateway.host"
                : "deviceClass";
        }

        private ProfileException Refuse(YamlNode node, string key, string why) =>
            new($"profile '{Path}' line {node.Start.Line}: key '{key}': {why}");
    }
}
