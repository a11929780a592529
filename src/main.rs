fn main() -> std::process::ExitCode {
    ganshi::cli::main()
}
