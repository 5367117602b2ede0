using System;
using System.Collections.Generic;

namespace IoTSec.Gateway.Configuration;

/// <summary>
/// The daemon's configuration is refused at start. Each problem names the key (and, for a key
/// from the YAML file, FILE:LINE; for an override, the environment variable or the command
/// line), so an operator can fix it without reading code.
/// </summary>
public sealed class GatewayConfigurationException : Exception
{
    /// <summary>The refusal, with one line per problem.</summary>
    public GatewayConfigurationException(IReadOnlyList<string> problems)
        : base("invalid configuration: " + string.Join("; ", problems))
    {
        Problems = problems;
    }

    /// <summary>Each problem, naming its key.</summary>
    public IReadOnlyList<string> Problems { get; }
}
