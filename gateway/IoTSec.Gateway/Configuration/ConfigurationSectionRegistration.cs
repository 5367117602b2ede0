using System;

namespace IoTSec.Gateway.Configuration;

/// <summary>
/// A configuration section the daemon knows, and the options type bound from it: the keys
/// under <paramref name="Path"/> are the members of <paramref name="OptionsType"/>. A key under
/// <c>IoTSec</c> that no registration knows is refused at start (<see cref="ConfigurationKeyCheck"/>).
/// </summary>
/// <param name="Path">The full section path, e.g. <c>IoTSec:Est</c>.</param>
/// <param name="OptionsType">The type bound from it.</param>
public sealed record ConfigurationSectionRegistration(string Path, Type OptionsType);
