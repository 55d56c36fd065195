public enum OpenSoraPlaceholder {}
