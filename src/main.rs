#[global_allocator]
static ALLOCATOR: ganshi::Allocator = ganshi::Allocator;

fn main() -> std::process::ExitCode {
    ganshi::cli::main()
}
