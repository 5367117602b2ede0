using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace IoTSec.Gateway.Configuration;

/// <summary>
/// Reads the gateway's YAML file into .NET configuration keys, remembering the line of each.
/// The file's top-level keys are the members of the <c>IoTSec</c> section
/// (<c>est: { port: 9443 }</c> is <c>IoTSec:Est:Port</c>); the one exception is the
/// top-level <c>logging</c> mapping, which is .NET's own <c>Logging</c> section. Sequences
/// become indexed keys (<c>IoTSec:Pki:ServerDnsNames:0</c>), as in every .NET provider.
/// </summary>
/// <remarks>
/// Outside input (an operator edits it by hand), so the reader fails closed with the line:
/// one document whose root is a mapping, scalar keys only, no key twice in one mapping
/// (configuration keys are case-insensitive, so <c>Port</c> and <c>port</c> collide), and
/// bounded size — a file of at most <see cref="MaxBytes"/> that expands to at most
/// <see cref="MaxKeys"/> keys, so YAML aliases cannot blow it up ("billion laughs"), and at
/// most <see cref="MaxFlowCollections"/> flow collections, so nesting cannot overflow the stack.
/// </remarks>
public sealed class YamlConfigurationFile
{
    /// <summary>Largest file read.</summary>
    public const int MaxBytes = 1024 * 1024;

    /// <summary>Most keys one file may produce (aliases included).</summary>
    public const int MaxKeys = 10_000;

    /// <summary>Deepest nesting of mappings and sequences.</summary>
    public const int MaxDepth = 32;

    /// <summary>Most '[' and '{' characters in a file (see <see cref="RequireBoundedFlowNesting"/>).</summary>
    public const int MaxFlowCollections = 256;

    /// <summary>The root configuration section the file's top-level keys belong to.</summary>
    public const string RootSection = "IoTSec";

    /// <summary>The top-level key that is .NET's logging section rather than a member of <see cref="RootSection"/>.</summary>
    public const string LoggingSection = "Logging";

    private readonly Dictionary<string, string?> _values;
    private readonly Dictionary<string, long> _lines;

    private YamlConfigurationFile(string path, Dictionary<string, string?> values, Dictionary<string, long> lines)
    {
        Path = path;
        _values = values;
        _lines = lines;
    }

    /// <summary>The file read.</summary>
    public string Path { get; }

    /// <summary>The configuration keys and values.</summary>
    public IReadOnlyDictionary<string, string?> Values => _values;

    /// <summary>Reads <paramref name="path"/>.</summary>
    /// <exception cref="YamlConfigurationException">The file is not a valid configuration file; the message names the line.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static YamlConfigurationFile Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var stream = File.OpenRead(path);
        if (stream.Length > MaxBytes)
        {
            throw new YamlConfigurationException(path, 0, $"larger than {MaxBytes} bytes: not a configuration file");
        }

        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return Parse(path, bytes);
    }

    /// <summary>Reads the YAML text in <paramref name="content"/>, naming it <paramref name="path"/> in errors.</summary>
    /// <exception cref="YamlConfigurationException">Not a valid configuration file; the message names the line.</exception>
    public static YamlConfigurationFile Parse(string path, ReadOnlySpan<byte> content)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (content.Length > MaxBytes)
        {
            throw new YamlConfigurationException(path, 0, $"larger than {MaxBytes} bytes: not a configuration file");
        }

        string text;
        try
        {
            text = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(content);
        }
        catch (DecoderFallbackException)
        {
            throw new YamlConfigurationException(path, 0, "not UTF-8 text");
        }

        RequireBoundedFlowNesting(path, text);
        RefuseCyclicAliases(path, text);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            // YamlDotNet's message repeats the position; its first line is the reason.
            throw new YamlConfigurationException(path, e.Start.Line, FirstLine(e.Message));
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            // Found by fuzzing (gateway-yaml): YamlDotNet 18.1 reports some malformed input
            // (bad tags, escapes outside Unicode, stray tokens) with these instead of a YamlException.
            throw new YamlConfigurationException(path, 0, "not valid YAML: " + FirstLine(e.Message));
        }

        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var lines = new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase);
        if (stream.Documents.Count > 1)
        {
            throw new YamlConfigurationException(path, stream.Documents[1].RootNode.Start.Line, "more than one YAML document (---): the configuration is one mapping");
        }

        if (stream.Documents.Count == 0 || IsEmpty(stream.Documents[0].RootNode))
        {
            return new YamlConfigurationFile(path, values, lines);
        }

        var root = stream.Documents[0].RootNode;
        if (root is not YamlMappingNode mapping)
        {
            throw new YamlConfigurationException(path, root.Start.Line, "the configuration must be a mapping of keys (such as 'est:') to values");
        }

        new Flattener(path, values, lines).VisitRoot(mapping);
        return new YamlConfigurationFile(path, values, lines);
    }

    /// <summary>The line <paramref name="key"/> was set on, if this file set it.</summary>
    public bool TryGetLine(string key, out long line)
    {
        ArgumentNullException.ThrowIfNull(key);
        return _lines.TryGetValue(key, out line);
    }

    /// <summary>
    /// YamlDotNet's scanner recurses once per open flow collection ("[[[[…" or "{a: {a: …"), so
    /// a file of nested brackets overflows the stack and kills the process (found by fuzzing).
    /// The bound is on every '[' and '{' in the text, quoted or not: deciding which brackets a
    /// YAML parser will see needs a YAML parser, and a count cannot be fooled by quotes. A
    /// configuration file has a handful; <see cref="MaxFlowCollections"/> nested ones parse in
    /// a 256 KiB stack (tested).
    /// </summary>
    /// <summary>
    /// Refuses an alias to a collection that is still open where the alias stands (<c>&amp;a [*a]</c>):
    /// a cycle. Found by fuzzing (the provisioning tool's profile reader, then confirmed here):
    /// YamlDotNet's loader recurses without bound on a cyclic node used as a mapping key, a
    /// stack overflow that no catch can stop, so the check walks the parser's events
    /// iteratively before anything is loaded. Aliases to finished nodes stay allowed (their
    /// expansion is bounded by <see cref="MaxKeys"/>). Malformed YAML is left to the loader,
    /// which reports it with its line.
    /// </summary>
    private static void RefuseCyclicAliases(string path, string text)
    {
        var openAnchors = new List<string?>();
        var parser = new Parser(new StringReader(text));
        try
        {
            while (parser.MoveNext())
            {
                switch (parser.Current)
                {
                    case AnchorAlias alias when openAnchors.Contains(alias.Value.Value):
                        throw new YamlConfigurationException(path, alias.Start.Line, $"the alias *{alias.Value.Value} refers to a collection that contains it: a cycle, not a configuration");
                    case SequenceStart or MappingStart:
                        var anchor = ((NodeEvent)parser.Current).Anchor;
                        openAnchors.Add(anchor.IsEmpty ? null : anchor.Value);
                        break;
                    case SequenceEnd or MappingEnd when openAnchors.Count > 0:
                        openAnchors.RemoveAt(openAnchors.Count - 1);
                        break;
                }
            }
        }
        catch (YamlException)
        {
            // Reported by the loader.
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            // Reported by the loader (YamlDotNet 18.1 throws these for some malformed input).
        }
    }

    private static void RequireBoundedFlowNesting(string path, string text)
    {
        var openers = 0;
        var line = 1;
        foreach (var c in text)
        {
            if (c == '\n')
            {
                line++;
            }
            else if ((c == '[' || c == '{') && ++openers > MaxFlowCollections)
            {
                throw new YamlConfigurationException(path, line, $"more than {MaxFlowCollections} '[' or '{{' characters: flow collections are bounded so that nesting cannot exhaust the stack");
            }
        }
    }

    private static bool IsEmpty(YamlNode node) =>
        node is YamlScalarNode { Value: null or "" or "~" or "null", Style: ScalarStyle.Plain };

    private static string FirstLine(string message)
    {
        // "(Line: 3, Col: 5, Idx: 20) - (Line: …): While scanning …" — keep the reason.
        var reason = message;
        var marker = reason.LastIndexOf("): ", StringComparison.Ordinal);
        if (marker >= 0)
        {
            reason = reason[(marker + 3)..];
        }

        var end = reason.IndexOfAny(['\r', '\n']);
        return end >= 0 ? reason[..end] : reason;
    }

    private sealed class Flattener(string path, Dictionary<string, string?> values, Dictionary<string, long> lines)
    {
        public void VisitRoot(YamlMappingNode root)
        {
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var (keyNode, valueNode) in root.Children)
            {
                var key = KeyOf(keyNode, seen);
                var prefix = string.Equals(key, LoggingSection, StringComparison.OrdinalIgnoreCase)
                    ? LoggingSection
                    : RootSection + ":" + key;
                Visit(prefix, valueNode, keyNode.Start.Line, depth: 1);
            }
        }

        private void Visit(string prefix, YamlNode node, long keyLine, int depth)
        {
            if (depth > MaxDepth)
            {
                throw new YamlConfigurationException(path, node.Start.Line, $"nested deeper than {MaxDepth} levels");
            }

            switch (node)
            {
                case YamlScalarNode scalar:
                    Add(prefix, IsEmpty(scalar) ? string.Empty : scalar.Value ?? string.Empty, keyLine);
                    break;
                case YamlSequenceNode sequence:
                    if (sequence.Children.Count == 0)
                    {
                        Add(prefix, string.Empty, keyLine);
                    }

                    for (var i = 0; i < sequence.Children.Count; i++)
                    {
                        var item = sequence.Children[i];
                        Visit(prefix + ":" + i.ToString(CultureInfo.InvariantCulture), item, item.Start.Line, depth + 1);
                    }

                    break;
                case YamlMappingNode mapping:
                    if (mapping.Children.Count == 0)
                    {
                        Add(prefix, string.Empty, keyLine);
                    }

                    var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
                    foreach (var (keyNode, valueNode) in mapping.Children)
                    {
                        Visit(prefix + ":" + KeyOf(keyNode, seen), valueNode, keyNode.Start.Line, depth + 1);
                    }

                    break;
                default:
                    throw new YamlConfigurationException(path, node.Start.Line, "unsupported YAML node");
            }
        }

        private string KeyOf(YamlNode keyNode, HashSet<string> seen)
        {
            if (keyNode is not YamlScalarNode { Value: { Length: > 0 } key } || key.Contains(':', StringComparison.Ordinal))
            {
                throw new YamlConfigurationException(path, keyNode.Start.Line, "a key must be a plain name (no ':', not empty, not a list or mapping)");
            }

            if (!seen.Add(key))
            {
                throw new YamlConfigurationException(path, keyNode.Start.Line, $"'{key}' is set twice in the same mapping (keys are case-insensitive)");
            }

            return key;
        }

        private void Add(string key, string value, long line)
        {
            if (values.Count >= MaxKeys)
            {
                throw new YamlConfigurationException(path, line, $"more than {MaxKeys} settings (aliases included): not a configuration file");
            }

            values[key] = value;
            lines[key] = line;
        }
    }
}
