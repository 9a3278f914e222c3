await GenSafety.ReferenceModel.ReferenceModelApp.Build(args).RunAsync();
