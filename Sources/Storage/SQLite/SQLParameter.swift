/// A value to bind, for statements whose parameter list is built at run time.
enum SQLParameter {
    case text(String)
    case integer(Int64)
    case null

    func bind(to statement: Statement, at index: Int32) throws(StorageError) {
        switch self {
        case .text(let value): try statement.bind(value, at: index)
        case .integer(let value): try statement.bind(value, at: index)
        case .null: try statement.bind(String?.none, at: index)
        }
    }
}
