using System.Collections.Generic;

namespace IoTSec.Gateway.Core.Policy;

/// <summary>
/// One node of a policy file as read by <see cref="PolicyYamlReader"/>: a scalar, a sequence or
/// a mapping, with the line and column where it starts, so every error can name its place.
/// </summary>
internal abstract class PolicyYamlNode(int line, int column)
{
    /// <summary>1-based line of the node's first character.</summary>
    public int Line { get; } = line;

    /// <summary>1-based column of the node's first character.</summary>
    public int Column { get; } = column;

    /// <summary>What the node is, in words, for "expected a mapping, found a sequence".</summary>
    public abstract string Kind { get; }
}

/// <summary>A scalar: its text as written (YAML's implicit typing is not applied: the policy parser types each key itself).</summary>
internal sealed class PolicyYamlScalar(int line, int column, string value, bool quoted) : PolicyYamlNode(line, column)
{
    public string Value { get; } = value;

    /// <summary>True when written in quotes (a quoted "true" is a string, not a boolean).</summary>
    public bool Quoted { get; } = quoted;

    public override string Kind => "a scalar";
}

/// <summary>A sequence, in order.</summary>
internal sealed class PolicyYamlSequence(int line, int column, IReadOnlyList<PolicyYamlNode> items) : PolicyYamlNode(line, column)
{
    public IReadOnlyList<PolicyYamlNode> Items { get; } = items;

    public override string Kind => "a sequence";
}

/// <summary>A mapping with scalar keys, in the order written (duplicates are refused by the reader).</summary>
internal sealed class PolicyYamlMapping(int line, int column, IReadOnlyList<KeyValuePair<PolicyYamlScalar, PolicyYamlNode>> entries) : PolicyYamlNode(line, column)
{
    public IReadOnlyList<KeyValuePair<PolicyYamlScalar, PolicyYamlNode>> Entries { get; } = entries;

    public override string Kind => "a mapping";
}
