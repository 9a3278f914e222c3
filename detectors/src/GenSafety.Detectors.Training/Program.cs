using GenSafety.Detectors.Training.Cli;

return await TrainingCommands.RunAsync(args, Console.Out, Console.Error);
